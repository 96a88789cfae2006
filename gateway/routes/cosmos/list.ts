/** `POST <base>/package/list`: the packages installed on the cluster. */
import { COSMOS_MEDIA, ListRequest, ListResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosList } from "../../services/cosmos/installs.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosList = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/list",
    access: "viewer",
    media: COSMOS_MEDIA.list,
    summary: "Cosmos: list installed packages",
    description: "Optionally only one package or one appId; sorted by package name, then appId.",
    request: ListRequest,
    response: ListResponse,
    run: (ctx, cluster, body) => cosmosList(ctx, cluster, body),
  });

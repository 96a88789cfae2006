/** `POST <base>/package/uninstall`: uninstall a package's install(s) from the cluster. */
import { COSMOS_MEDIA, UninstallRequest, UninstallResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosUninstall } from "../../services/cosmos/installs.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosUninstall = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/uninstall",
    access: "operator",
    media: COSMOS_MEDIA.uninstall,
    summary: "Cosmos: uninstall a package",
    description:
      "Without appId, the package's only install; several are AmbiguousAppId unless `all: true`. An install another install depends on is kept (RequiredBy).",
    request: UninstallRequest,
    response: UninstallResponse,
    run: (ctx, cluster, body) => cosmosUninstall(ctx, cluster, body),
  });

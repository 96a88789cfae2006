/** `POST <base>/cosmos/service/update`: change an installed service's options and/or version. */
import { COSMOS_MEDIA, ServiceUpdateRequest, ServiceUpdateResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosServiceUpdate } from "../../services/cosmos/service.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosServiceUpdate = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/cosmos/service/update",
    access: "operator",
    media: COSMOS_MEDIA.serviceUpdate,
    summary: "Cosmos: update an installed service",
    description:
      "Options merge over the previous user options unless `replace: true`. Unlike Cosmos open source, packageVersion may change the version, as the packages' upgradesFrom / downgradesTo allow; every change is a new install revision (roll back with POST /v1/clusters/{cluster}/installs/{appId}/rollback).",
    request: ServiceUpdateRequest,
    response: ServiceUpdateResponse,
    run: (ctx, cluster, body) => cosmosServiceUpdate(ctx, cluster, body),
  });

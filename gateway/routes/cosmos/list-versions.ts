/** `POST <base>/package/list-versions`: every version of a package with its releaseVersion. */
import { COSMOS_MEDIA, ListVersionsRequest, ListVersionsResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosListVersions } from "../../services/cosmos/packages.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosListVersions = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/list-versions",
    access: "viewer",
    media: COSMOS_MEDIA.listVersions,
    summary: "Cosmos: list the versions of a package",
    description: 'Answers `{"results": {"<version>": "<releaseVersion>"}}`.',
    request: ListVersionsRequest,
    response: ListVersionsResponse,
    run: (ctx, cluster, body) => cosmosListVersions(ctx, cluster, body),
  });

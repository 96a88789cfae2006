/** `POST <base>/package/search`: Cosmos search (glob with `*`, else substring; selected first). */
import { COSMOS_MEDIA, SearchRequest, SearchResponse } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosSearch } from "../../services/cosmos/packages.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosSearch = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/search",
    access: "viewer",
    media: COSMOS_MEDIA.search,
    summary: "Cosmos: search packages",
    description:
      "A query with `*` is a whole-string glob over name, description and tags; otherwise a case-insensitive substring. Selected packages first, then by name.",
    request: SearchRequest,
    response: SearchResponse,
    run: (ctx, cluster, body) => cosmosSearch(ctx, cluster, body),
  });

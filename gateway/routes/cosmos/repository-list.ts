/** `POST <base>/package/repository/list`: the gateway's repositories in priority order. */
import { COSMOS_MEDIA, RepositoriesResponse, RepositoryListRequest } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosRepositoryList } from "../../services/cosmos/repositories.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosRepositoryList = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/repository/list",
    access: "viewer",
    media: COSMOS_MEDIA.repositoryList,
    summary: "Cosmos: list package repositories",
    description:
      "The gateway's repositories (the same for every cluster), highest priority first. An uploaded repository's uri is its path under /v1/repositories.",
    request: RepositoryListRequest,
    response: RepositoriesResponse,
    run: (ctx, cluster) => cosmosRepositoryList(ctx, cluster),
  });

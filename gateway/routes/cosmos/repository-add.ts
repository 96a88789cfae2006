/** `POST <base>/package/repository/add`: add a repository by URL (when the gateway fetches URLs). */
import { COSMOS_MEDIA, RepositoriesResponse, RepositoryAddRequest } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosRepositoryAdd } from "../../services/cosmos/repositories.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosRepositoryAdd = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/repository/add",
    access: "admin",
    media: COSMOS_MEDIA.repositoryAdd,
    summary: "Cosmos: add a package repository",
    description:
      "Fetches the Universe index at `uri` and imports it at `index` (the end by default). Only a gateway started with FLOTILLA_ALLOW_REPOSITORY_URLS=true fetches URLs; otherwise this is UnsupportedRepositoryUri, and the index is uploaded with POST /v1/repositories instead.",
    request: RepositoryAddRequest,
    response: RepositoriesResponse,
    run: (ctx, cluster, body) => cosmosRepositoryAdd(ctx, cluster, body),
  });

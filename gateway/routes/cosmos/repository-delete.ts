/** `POST <base>/package/repository/delete`: delete a repository by name and/or URI. */
import { COSMOS_MEDIA, RepositoriesResponse, RepositoryDeleteRequest } from "../../contract/cosmos.js";
import type { GatewayApp } from "../../env.js";
import { cosmosRepositoryDelete } from "../../services/cosmos/repositories.js";
import { registerCosmosEndpoint } from "./endpoint.js";

export const registerCosmosRepositoryDelete = (app: GatewayApp) =>
  registerCosmosEndpoint(app, {
    method: "post",
    path: "/package/repository/delete",
    access: "admin",
    media: COSMOS_MEDIA.repositoryDelete,
    summary: "Cosmos: delete a package repository",
    description: "Installs keep the plans they were rendered with. Answers the repositories that are left.",
    request: RepositoryDeleteRequest,
    response: RepositoriesResponse,
    run: (ctx, cluster, body) => cosmosRepositoryDelete(ctx, cluster, body),
  });

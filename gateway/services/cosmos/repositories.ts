/**
 * Cosmos's repository list, add and delete over the gateway's repositories. Repositories are the
 * gateway's, not a cluster's: every cluster's base URL shows the same list, in priority order.
 * Cosmos knew repositories only by URL; one uploaded to Flotilla has none, so its `uri` is the
 * path of its Flotilla resource (`/v1/repositories/<id>`), which delete also accepts. Adding by
 * URL makes the gateway fetch it, which only a gateway started with
 * FLOTILLA_ALLOW_REPOSITORY_URLS=true does.
 */
import type { z } from "zod";
import type { Repository } from "../../contract/catalog.js";
import type { RepositoryAddRequest, RepositoryDeleteRequest } from "../../contract/cosmos.js";
import type { Ctx } from "../../env.js";
import { deleteRepository, listRepositories } from "../catalog/repositories.js";
import { addRepository } from "../catalog/repository-import.js";
import { cosmosCluster } from "./cluster.js";
import { CosmosError, repositoryAlreadyPresent, repositoryNotPresent } from "./errors.js";

const uriOf = (r: Repository) => r.uri ?? `/v1/repositories/${r.id}`;

const view = (list: Repository[]) => ({
  repositories: list.map((r) => ({ name: r.name, uri: uriOf(r) })),
});

/** `/package/repository/list`: `{repositories: [{name, uri}]}`, highest priority first. */
export async function cosmosRepositoryList(ctx: Ctx, cluster: string) {
  await cosmosCluster(ctx, cluster, "viewer");
  return view(await listRepositories(ctx));
}

/** `/package/repository/add`: fetches `uri` (when allowed) and answers the new list. */
export async function cosmosRepositoryAdd(
  ctx: Ctx,
  cluster: string,
  body: z.infer<typeof RepositoryAddRequest>,
) {
  await cosmosCluster(ctx, cluster, "admin");
  const list = await listRepositories(ctx);
  const nameTaken = list.some((r) => r.name === body.name);
  const uriTaken = list.some((r) => uriOf(r) === body.uri);
  if (nameTaken || uriTaken) {
    throw repositoryAlreadyPresent(nameTaken ? body.name : undefined, uriTaken ? body.uri : undefined);
  }
  if (body.index !== undefined && body.index > list.length) {
    throw new CosmosError("RepositoryAddIndexOutOfBounds", `Index out of range: ${body.index}`, 400, {
      attempted: body.index,
      max: list.length,
    });
  }
  await addRepository(ctx, { name: body.name, index: body.index, source: { kind: "url", url: body.uri } });
  return view(await listRepositories(ctx));
}

/** `/package/repository/delete` by name, URI or both; answers the list that is left. */
export async function cosmosRepositoryDelete(
  ctx: Ctx,
  cluster: string,
  body: z.infer<typeof RepositoryDeleteRequest>,
) {
  await cosmosCluster(ctx, cluster, "admin");
  const { name, uri } = body;
  if (name === undefined && uri === undefined) {
    throw new CosmosError("RepoNameOrUriMissing", "Must specify either the name or URI of the repository");
  }
  const found = (await listRepositories(ctx)).find(
    (r) => (name === undefined || r.name === name) && (uri === undefined || uriOf(r) === uri),
  );
  if (!found) throw repositoryNotPresent(name, uri);
  await deleteRepository(ctx, found.id);
  return view(await listRepositories(ctx));
}

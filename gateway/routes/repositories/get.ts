/** `GET /v1/repositories/{repo}` and `DELETE /v1/repositories/{repo}` (by id or name). */
import { RepositoryParam, RepositorySchema } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { deleteRepository, getRepository } from "../../services/catalog/repositories.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const getRoute = defineRoute("viewer", {
  method: "get",
  path: "/v1/repositories/{repo}",
  tags: ["repositories"],
  summary: "Show a repository",
  request: { params: RepositoryParam },
  responses: { 200: json(RepositorySchema, "the repository"), ...errorResponses },
});

const deleteRoute = defineRoute("admin", {
  method: "delete",
  path: "/v1/repositories/{repo}",
  tags: ["repositories"],
  summary: "Delete a repository and its package revisions",
  request: { params: RepositoryParam },
  responses: { 204: { description: "deleted" }, ...errorResponses },
});

export function registerGetRepository(app: GatewayApp): void {
  app.openapi(getRoute, async (c) => c.json(await getRepository(ctxOf(c), c.req.valid("param").repo), 200));
  app.openapi(deleteRoute, async (c) => {
    await deleteRepository(ctxOf(c), c.req.valid("param").repo);
    return c.body(null, 204);
  });
}

/** `PATCH /v1/repositories/{repo}`: move a repository to another place in the priority order. */
import { MoveRepositoryBody, RepositoryListSchema, RepositoryParam } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { moveRepository } from "../../services/catalog/repositories.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("admin", {
  method: "patch",
  path: "/v1/repositories/{repo}",
  tags: ["repositories"],
  summary: "Move a repository in the priority order",
  description: "`index` 0 makes it the highest priority; an index past the end makes it the last.",
  request: {
    params: RepositoryParam,
    body: { content: { "application/json": { schema: MoveRepositoryBody } }, required: true },
  },
  responses: { 200: json(RepositoryListSchema, "every repository in the new order"), ...errorResponses },
});

export const registerMoveRepository = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const repositories = await moveRepository(ctxOf(c), c.req.valid("param").repo, c.req.valid("json").index);
    return c.json({ repositories }, 200);
  });

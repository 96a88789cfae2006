/** `GET /v1/repositories`: repositories in priority order (0 first). */
import { RepositoryListSchema } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { listRepositories } from "../../services/catalog/repositories.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/repositories",
  tags: ["repositories"],
  summary: "List repositories in priority order",
  responses: { 200: json(RepositoryListSchema, "repositories, highest priority first"), ...errorResponses },
});

export const registerListRepositories = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json({ repositories: await listRepositories(ctxOf(c)) }, 200));

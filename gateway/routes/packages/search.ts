/** `GET /v1/packages`: ranked package search with pagination. */
import { SearchQuery, SearchResultSchema } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { searchCatalog } from "../../services/catalog/packages.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/packages",
  tags: ["packages"],
  summary: "Search packages",
  description:
    "Every word of `q` must match a package's name, a tag or its description; name matches rank highest, then tags, then descriptions; `*` is a whole-string glob. Without `q`, lists every package (selected first, then by name).",
  request: { query: SearchQuery },
  responses: { 200: json(SearchResultSchema, "one page of results, best first"), ...errorResponses },
});

export const registerSearchPackages = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const body = await searchCatalog(ctxOf(c), c.req.valid("query"));
    // The body is already JSON text of SearchResultSchema's shape (services/catalog/search-json.ts
    // builds it from fragments cached per catalog snapshot); only its static type is asserted here.
    return c.body(body, 200, { "content-type": "application/json" }) as never;
  });

/** `POST /v1/packages/{name}/render`: a dry run of an install; writes nothing. */
import { PackageParam, RenderBody, RenderResultSchema } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { renderPackage } from "../../services/catalog/render.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("viewer", {
  method: "post",
  path: "/v1/packages/{name}/render",
  tags: ["packages"],
  summary: "Render a package with options (dry run)",
  description:
    "Resolves the options (defaults, then yours, validated against the package's config.json) and renders the install plan. Options that fail answer 400 with `details.errors`: one `{pointer, rule, value, message}` per failing field.",
  request: {
    params: PackageParam,
    body: { content: { "application/json": { schema: RenderBody } }, required: true },
  },
  responses: { 200: json(RenderResultSchema, "the install plan and the options it used"), ...errorResponses },
});

export const registerRenderPackage = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await renderPackage(ctxOf(c), c.req.valid("param").name, c.req.valid("json")), 200),
  );

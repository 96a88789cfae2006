/** `DELETE /v1/tokens/{id}`: revoke an API token; it stops working at once. */
import { IdParam } from "../../contract/common.js";
import type { GatewayApp } from "../../env.js";
import { revokeToken } from "../../services/tokens/api-tokens.js";
import { ctxOf, defineRoute, errorResponses } from "../define.js";

const route = defineRoute("admin", {
  method: "delete",
  path: "/v1/tokens/{id}",
  tags: ["tokens"],
  summary: "Revoke an API token",
  request: { params: IdParam },
  responses: { 204: { description: "revoked (also when it already was)" }, ...errorResponses },
});

export const registerRevokeToken = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    await revokeToken(ctxOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  });

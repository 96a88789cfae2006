/** `DELETE /v1/clusters/{cluster}/join-tokens/{id}`: revoke a join token. */
import type { GatewayApp } from "../../env.js";
import { revokeJoinToken } from "../../services/tokens/join-tokens.js";
import { ctxOf, defineRoute, errorResponses } from "../define.js";
import { JoinTokenParam } from "./params.js";

const route = defineRoute("admin", {
  method: "delete",
  path: "/v1/clusters/{cluster}/join-tokens/{id}",
  tags: ["join tokens"],
  summary: "Revoke a join token (agents it admitted stay)",
  request: { params: JoinTokenParam },
  responses: { 204: { description: "revoked (also when it already was)" }, ...errorResponses },
});

export const registerRevokeJoinToken = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, id } = c.req.valid("param");
    await revokeJoinToken(ctxOf(c), cluster, id);
    return c.body(null, 204);
  });

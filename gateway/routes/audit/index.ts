/** `GET /v1/audit` (admin): who changed what, when; newest first, paged with `before`. */
import { AuditPageSchema, AuditQuery } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { listAudit } from "../../services/status/audit-log.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("admin", {
  method: "get",
  path: "/v1/audit",
  tags: ["audit"],
  summary: "Read the audit log",
  description:
    "Newest first. `cluster` (id or name) keeps the entries about one cluster; pass a page's `next` as `before` for the following page.",
  request: { query: AuditQuery },
  responses: { 200: json(AuditPageSchema, "a page of entries"), ...errorResponses },
});

export const registerAuditRoutes = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json(await listAudit(ctxOf(c), c.req.valid("query")), 200));

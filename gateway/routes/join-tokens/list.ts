/** `GET /v1/clusters/{cluster}/join-tokens`: the cluster's join tokens, never their secrets. */
import { z } from "zod";
import { JoinTokenSchema } from "../../contract/clusters.js";
import type { GatewayApp } from "../../env.js";
import { listJoinTokens } from "../../services/tokens/join-tokens.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterRefParam } from "./params.js";

const route = defineRoute("admin", {
  method: "get",
  path: "/v1/clusters/{cluster}/join-tokens",
  tags: ["join tokens"],
  summary: "List the cluster's join tokens (uses, expiry, revoked)",
  request: { params: ClusterRefParam },
  responses: {
    200: json(z.object({ joinTokens: z.array(JoinTokenSchema) }), "join tokens, oldest first"),
    ...errorResponses,
  },
});

export const registerListJoinTokens = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json({ joinTokens: await listJoinTokens(ctxOf(c), c.req.valid("param").cluster) }, 200),
  );

/** `POST /v1/clusters/{cluster}/join-tokens`: a join token for agents (secret shown once). */
import { CreatedJoinTokenSchema, CreateJoinTokenBody } from "../../contract/clusters.js";
import type { GatewayApp } from "../../env.js";
import { createJoinToken } from "../../services/tokens/join-tokens.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterRefParam } from "./params.js";

const route = defineRoute("admin", {
  method: "post",
  path: "/v1/clusters/{cluster}/join-tokens",
  tags: ["join tokens"],
  summary: "Create a join token (TTL, maximum uses) for agents of the cluster",
  request: {
    params: ClusterRefParam,
    body: { content: { "application/json": { schema: CreateJoinTokenBody } }, required: true },
  },
  responses: { 201: json(CreatedJoinTokenSchema, "the new join token, with its secret"), ...errorResponses },
});

export const registerCreateJoinToken = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await createJoinToken(ctxOf(c), c.req.valid("param").cluster, c.req.valid("json")), 201),
  );

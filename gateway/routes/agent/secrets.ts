/** `POST /v1/agent/clusters/{cluster}/secrets`: the values of secrets the agent's own tasks declare. */
import { ResolveSecretsRequest, ResolveSecretsResponse } from "../../contract/agent.js";
import type { GatewayApp } from "../../env.js";
import { resolveSecrets } from "../../services/secrets/resolve.js";
import { ctxOf, defineRoute, errorResponses, json, unavailableResponse } from "../define.js";
import { AgentClusterParam } from "./params.js";

const route = defineRoute("agent", {
  method: "post",
  path: "/v1/agent/clusters/{cluster}/secrets",
  tags: ["agent API"],
  summary: "Read the secrets that this agent's assignments declare (for launching their tasks)",
  request: {
    params: AgentClusterParam,
    body: { content: { "application/json": { schema: ResolveSecretsRequest } }, required: true },
  },
  responses: {
    200: json(ResolveSecretsResponse, "each path's value"),
    ...errorResponses,
    ...unavailableResponse,
  },
});

export const registerResolveSecrets = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await resolveSecrets(ctxOf(c), c.req.valid("param").cluster, c.req.valid("json")), 200);
  });

/** `GET /v1/agent/clusters/{cluster}/observed`: the reported tasks, runs and agents (lease holder only). */
import { ObservedSchema } from "../../contract/agent.js";
import type { GatewayApp } from "../../env.js";
import { observedState } from "../../services/agents/observed.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { AgentClusterParam } from "./params.js";

const route = defineRoute("agent", {
  method: "get",
  path: "/v1/agent/clusters/{cluster}/observed",
  tags: ["agent API"],
  summary: "Every task, job run and agent of the cluster as reported (scheduling lease holder only)",
  request: { params: AgentClusterParam },
  responses: { 200: json(ObservedSchema, "what the cluster's agents reported"), ...errorResponses },
});

export const registerObserved = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    c.header("cache-control", "no-store");
    return c.json(await observedState(ctxOf(c), c.req.valid("param").cluster), 200);
  });

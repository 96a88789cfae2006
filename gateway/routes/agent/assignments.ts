/** `POST /v1/agent/clusters/{cluster}/assignments`: the lease holder's launch/kill decisions. */
import { AssignmentsRequest, AssignmentsResponse } from "../../contract/agent.js";
import type { GatewayApp } from "../../env.js";
import { applyAssignments } from "../../services/agents/assignments.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { AgentClusterParam } from "./params.js";

const route = defineRoute("agent", {
  method: "post",
  path: "/v1/agent/clusters/{cluster}/assignments",
  tags: ["agent API"],
  summary: "Record task assignments (lease holder only, fenced by epoch; idempotent by task id)",
  request: {
    params: AgentClusterParam,
    body: { content: { "application/json": { schema: AssignmentsRequest } }, required: true },
  },
  responses: { 200: json(AssignmentsResponse, "what was done and what needed nothing"), ...errorResponses },
});

export const registerAssignments = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await applyAssignments(ctxOf(c), c.req.valid("param").cluster, c.req.valid("json")), 200),
  );

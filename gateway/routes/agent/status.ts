/** `POST /v1/agent/clusters/{cluster}/status`: a batch of status updates, acknowledged by id. */
import { StatusAck, StatusBatch } from "../../contract/agent.js";
import type { GatewayApp } from "../../env.js";
import { ingestStatus } from "../../services/agents/status.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { AgentClusterParam } from "./params.js";

const route = defineRoute("agent", {
  method: "post",
  path: "/v1/agent/clusters/{cluster}/status",
  tags: ["agent API"],
  summary: "Report task, job-run and deployment updates and the node's inventory",
  request: {
    params: AgentClusterParam,
    body: { content: { "application/json": { schema: StatusBatch } }, required: true },
  },
  responses: { 200: json(StatusAck, "the ids stored (now or before)"), ...errorResponses },
});

export const registerStatus = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await ingestStatus(ctxOf(c), c.req.valid("param").cluster, c.req.valid("json")), 200),
  );

/** `POST /v1/agent/clusters/{cluster}/lease`: acquire, renew or release the scheduling lease. */
import { LeaseRequest, LeaseSchema } from "../../contract/agent.js";
import type { GatewayApp } from "../../env.js";
import { acquireLease } from "../../services/agents/lease.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { AgentClusterParam } from "./params.js";

const route = defineRoute("agent", {
  method: "post",
  path: "/v1/agent/clusters/{cluster}/lease",
  tags: ["agent API"],
  summary: "Acquire or renew the cluster's scheduling lease (or release it)",
  request: {
    params: AgentClusterParam,
    body: { content: { "application/json": { schema: LeaseRequest } }, required: true },
  },
  responses: { 200: json(LeaseSchema, "the lease as it now stands for the caller"), ...errorResponses },
});

export const registerLease = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await acquireLease(ctxOf(c), c.req.valid("param").cluster, c.req.valid("json")), 200),
  );

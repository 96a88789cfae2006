/** `GET /v1/clusters/{cluster}/agents`: agents with heartbeat, inventory and derived state. */
import { z } from "zod";
import { AgentSchema } from "../../contract/clusters.js";
import type { GatewayApp } from "../../env.js";
import { listAgents } from "../../services/agents/agents.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterRefParam } from "./params.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/agents",
  tags: ["agents"],
  summary: "List the cluster's agents (last seen, inventory, healthy/stale/lost, lease holder)",
  request: { params: ClusterRefParam },
  responses: {
    200: json(z.object({ agents: z.array(AgentSchema) }), "agents by hostname"),
    ...errorResponses,
  },
});

export const registerListAgents = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json({ agents: await listAgents(ctxOf(c), c.req.valid("param").cluster) }, 200),
  );

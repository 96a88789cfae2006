/** `GET /v1/clusters/{cluster}/agents/{agent}/tasks`: what the agent reported running. */
import { z } from "zod";
import { ReportedTaskSchema } from "../../contract/agent.js";
import type { GatewayApp } from "../../env.js";
import { listAgentTasks } from "../../services/agents/agents.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { AgentParam } from "./params.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/agents/{agent}/tasks",
  tags: ["agents"],
  summary: "Tasks the agent last reported (state, health, ports)",
  request: { params: AgentParam },
  responses: {
    200: json(z.object({ tasks: z.array(ReportedTaskSchema) }), "tasks by app and task id"),
    ...errorResponses,
  },
});

export const registerAgentTasks = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, agent } = c.req.valid("param");
    return c.json({ tasks: await listAgentTasks(ctxOf(c), cluster, agent) }, 200);
  });

/** `GET` and `DELETE /v1/clusters/{cluster}/agents/{agent}`. */
import { AgentSchema } from "../../contract/clusters.js";
import type { GatewayApp } from "../../env.js";
import { deleteAgent, getAgent } from "../../services/agents/agents.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { AgentParam } from "./params.js";

const getRoute = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/agents/{agent}",
  tags: ["agents"],
  summary: "Show an agent",
  request: { params: AgentParam },
  responses: { 200: json(AgentSchema, "the agent"), ...errorResponses },
});

const deleteRoute = defineRoute("admin", {
  method: "delete",
  path: "/v1/clusters/{cluster}/agents/{agent}",
  tags: ["agents"],
  summary: "Delete an agent: its credential stops working at once",
  request: { params: AgentParam },
  responses: { 204: { description: "deleted" }, ...errorResponses },
});

export function registerGetAgent(app: GatewayApp): void {
  app.openapi(getRoute, async (c) => {
    const { cluster, agent } = c.req.valid("param");
    return c.json(await getAgent(ctxOf(c), cluster, agent), 200);
  });
  app.openapi(deleteRoute, async (c) => {
    const { cluster, agent } = c.req.valid("param");
    await deleteAgent(ctxOf(c), cluster, agent);
    return c.body(null, 204);
  });
}

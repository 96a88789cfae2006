/** The operator's agent routes (`/v1/clusters/{cluster}/agents`). */
import type { GatewayApp } from "../../env.js";
import { registerGetAgent } from "./get.js";
import { registerListAgents } from "./list.js";
import { registerAgentTasks } from "./tasks.js";

export function registerAgentRoutes(app: GatewayApp): void {
  registerListAgents(app);
  registerGetAgent(app);
  registerAgentTasks(app);
}

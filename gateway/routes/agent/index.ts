/** The agent API (`/v1/agent/…`), the protocol described in gateway/contract/agent.ts. */
import type { GatewayApp } from "../../env.js";
import { registerAssignments } from "./assignments.js";
import { registerDesiredState } from "./desired-state.js";
import { registerLease } from "./lease.js";
import { registerObserved } from "./observed.js";
import { registerRegisterAgent } from "./register.js";
import { registerResolveSecrets } from "./secrets.js";
import { registerStatus } from "./status.js";

export function registerAgentApiRoutes(app: GatewayApp): void {
  registerRegisterAgent(app);
  registerDesiredState(app);
  registerStatus(app);
  registerLease(app);
  registerAssignments(app);
  registerObserved(app);
  registerResolveSecrets(app);
}

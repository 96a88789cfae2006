/** An agent's state, derived from the age of its last heartbeat. */
import type { GatewayConfig } from "../../config.js";

export type AgentState = "healthy" | "stale" | "lost";

export function agentState(lastSeenAt: number | null, now: number, config: GatewayConfig): AgentState {
  if (lastSeenAt === null) return "lost";
  const age = now - lastSeenAt;
  if (age <= config.agentStaleMs) return "healthy";
  if (age <= config.agentLostMs) return "stale";
  return "lost";
}

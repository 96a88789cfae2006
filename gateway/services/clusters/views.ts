/** Turns cluster, agent and join-token rows into their API shapes. */
import type { Agent, Cluster } from "../../contract/clusters.js";
import type { agents, clusters, joinTokens } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { agentState } from "./agent-state.js";

export const iso = (ms: number) => new Date(ms).toISOString();

export function clusterView(
  row: typeof clusters.$inferSelect,
  agentRows: (typeof agents.$inferSelect)[],
  ctx: Ctx,
): Cluster {
  const now = ctx.deps.clock.now();
  const counts = { healthy: 0, stale: 0, lost: 0 };
  for (const a of agentRows) counts[agentState(a.lastSeenAt, now, ctx.deps.config)]++;
  return {
    id: row.id,
    name: row.name,
    labels: row.labels,
    desiredRevision: row.desiredRevision,
    createdAt: iso(row.createdAt),
    agents: counts,
  };
}

export function agentView(
  row: typeof agents.$inferSelect,
  cluster: typeof clusters.$inferSelect,
  ctx: Ctx,
): Agent {
  const now = ctx.deps.clock.now();
  return {
    id: row.id,
    clusterId: row.clusterId,
    hostname: row.hostname,
    state: agentState(row.lastSeenAt, now, ctx.deps.config),
    lastSeenAt: row.lastSeenAt === null ? null : iso(row.lastSeenAt),
    inventory: row.inventory,
    leaseHolder:
      cluster.leaseAgentId === row.id && cluster.leaseExpiresAt !== null && cluster.leaseExpiresAt > now,
  };
}

export function joinTokenView(row: typeof joinTokens.$inferSelect) {
  return {
    id: row.id,
    clusterId: row.clusterId,
    expiresAt: iso(row.expiresAt),
    maxUses: row.maxUses,
    uses: row.uses,
    revoked: row.revokedAt !== null,
    createdAt: iso(row.createdAt),
  };
}

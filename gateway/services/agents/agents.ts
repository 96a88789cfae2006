/**
 * Agents as operators see them: list and show (with last heartbeat, inventory, derived state
 * and whether the agent holds the scheduling lease), the tasks an agent reported, and
 * deletion, which ends the agent's credential at once (row gone, cached principal forgotten).
 */
import { and, asc, eq } from "drizzle-orm";
import { requireUser } from "../../auth/principal.js";
import type { Agent } from "../../contract/clusters.js";
import { agents, clusters, tasks } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { announceRevision, bumpDesiredRevision } from "../clusters/desired-revision.js";
import { type ClusterRow, getClusterFor } from "../clusters/find.js";
import { agentView, iso } from "../clusters/views.js";
import { forgetHeartbeat } from "./heartbeat.js";

export async function listAgents(ctx: Ctx, clusterRef: string): Promise<Agent[]> {
  const user = requireUser(ctx.principal, "viewer");
  const cluster = await getClusterFor(ctx.deps.db, user, clusterRef);
  const rows = await ctx.deps.db
    .select()
    .from(agents)
    .where(eq(agents.clusterId, cluster.id))
    .orderBy(asc(agents.hostname), asc(agents.id));
  return rows.map((r) => agentView(r, cluster, ctx));
}

async function findAgent(ctx: Ctx, cluster: ClusterRow, agentId: string) {
  const [row] = await ctx.deps.db
    .select()
    .from(agents)
    .where(and(eq(agents.id, agentId), eq(agents.clusterId, cluster.id)))
    .limit(1);
  if (!row) throw notFound(`agent ${agentId} of cluster ${cluster.name}`);
  return row;
}

export async function getAgent(ctx: Ctx, clusterRef: string, agentId: string): Promise<Agent> {
  const user = requireUser(ctx.principal, "viewer");
  const cluster = await getClusterFor(ctx.deps.db, user, clusterRef);
  return agentView(await findAgent(ctx, cluster, agentId), cluster, ctx);
}

/** The tasks the agent last reported, by app and task id. */
export async function listAgentTasks(ctx: Ctx, clusterRef: string, agentId: string) {
  const user = requireUser(ctx.principal, "viewer");
  const cluster = await getClusterFor(ctx.deps.db, user, clusterRef);
  await findAgent(ctx, cluster, agentId);
  const rows = await ctx.deps.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.clusterId, cluster.id), eq(tasks.agentId, agentId)))
    .orderBy(asc(tasks.appId), asc(tasks.taskId));
  return rows.map((t) => ({
    taskId: t.taskId,
    appId: t.appId,
    agentId: t.agentId,
    state: t.state,
    healthy: t.healthy,
    ports: t.ports,
    version: t.version,
    message: t.message,
    reportedAt: iso(t.reportedAt),
    updatedAt: iso(t.updatedAt),
  }));
}

/**
 * Deletes the agent: its credential stops working at once, it gives up the scheduling lease
 * if it held it, and the revision moves so the lease holder reschedules its tasks.
 */
export async function deleteAgent(ctx: Ctx, clusterRef: string, agentId: string): Promise<void> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const row = await findAgent(ctx, cluster, agentId);
  const now = clock.now();
  const [, , bumped] = await db.batch([
    db.delete(agents).where(eq(agents.id, row.id)),
    db
      .update(clusters)
      .set({ leaseAgentId: null, leaseExpiresAt: null })
      .where(and(eq(clusters.id, cluster.id), eq(clusters.leaseAgentId, row.id))),
    bumpDesiredRevision(db, cluster.id),
    auditStatement(db, user, now, {
      action: "agent.delete",
      target: row.id,
      details: { clusterId: cluster.id, hostname: row.hostname },
    }),
  ]);
  ctx.auth.forget((p) => p.kind === "agent" && p.agentId === row.id);
  forgetHeartbeat(ctx.deps, row.id);
  announceRevision(ctx.deps, cluster.id, bumped[0]?.desiredRevision);
}

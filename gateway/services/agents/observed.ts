/**
 * The observed state of a cluster, for its lease holder: every task and job run as agents
 * reported them, and every agent's liveness now. The desired-state document carries what
 * should run; this carries what does, so the holder can plan across nodes (a rolling upgrade
 * counts the healthy tasks of every node). One consistent snapshot (one db.batch of reads).
 */
import { asc, eq } from "drizzle-orm";
import { requireAgent } from "../../auth/principal.js";
import type { Observed } from "../../contract/agent.js";
import { agents, clusters, jobRuns, tasks } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { ApiError } from "../../errors.js";
import { agentState } from "../clusters/agent-state.js";
import { touchAgent } from "./heartbeat.js";

export async function observedState(ctx: Ctx, clusterId: string): Promise<Observed> {
  const agent = requireAgent(ctx.principal, clusterId);
  const { db, clock, config } = ctx.deps;
  const [[cluster], taskRows, runRows, agentRows] = await db.batch([
    db
      .select({ leaseAgentId: clusters.leaseAgentId, leaseExpiresAt: clusters.leaseExpiresAt })
      .from(clusters)
      .where(eq(clusters.id, clusterId))
      .limit(1),
    db.select().from(tasks).where(eq(tasks.clusterId, clusterId)).orderBy(asc(tasks.taskId)),
    db.select().from(jobRuns).where(eq(jobRuns.clusterId, clusterId)).orderBy(asc(jobRuns.runId)),
    db
      .select({ id: agents.id, hostname: agents.hostname, lastSeenAt: agents.lastSeenAt })
      .from(agents)
      .where(eq(agents.clusterId, clusterId))
      .orderBy(asc(agents.hostname), asc(agents.id)),
  ]);
  const me = agentRows.find((a) => a.id === agent.agentId);
  if (!cluster || !me)
    throw new ApiError("UNAUTHENTICATED", "this agent or its cluster no longer exists: register it again");
  const now = clock.now();
  if (
    cluster.leaseAgentId !== agent.agentId ||
    cluster.leaseExpiresAt === null ||
    cluster.leaseExpiresAt <= now
  )
    throw new ApiError(
      "CONFLICT",
      "only the holder of the scheduling lease reads the observed state: acquire the lease (POST …/lease) first",
      "NOT_LEASE_HOLDER",
    );
  await touchAgent(ctx.deps, agent.agentId, me.lastSeenAt);
  return {
    tasks: taskRows.map((t) => ({
      taskId: t.taskId,
      appId: t.appId,
      agentId: t.agentId,
      state: t.state,
      healthy: t.healthy,
      ports: t.ports,
      version: t.version,
      message: t.message,
      reportedAt: t.reportedAt,
    })),
    jobRuns: runRows.map((r) => ({
      runId: r.runId,
      jobId: r.jobId,
      state: r.state,
      message: r.message,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      reportedAt: r.reportedAt,
    })),
    agents: agentRows.map((a) => ({
      agentId: a.id,
      hostname: a.hostname,
      lastSeenAt: a.lastSeenAt,
      state: agentState(a.lastSeenAt, now, config),
    })),
  };
}

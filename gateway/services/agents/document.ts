/**
 * Builds an agent's desired-state document from one consistent snapshot (a db.batch of reads
 * is one transaction on D1 and libSQL), so the revision it is labelled with never claims more
 * than its content holds. The part every agent of the cluster shares at one revision (install
 * plans, assignments) is cached on Node and reused until the revision moves; the lease and
 * the agents' liveness are read fresh on every full answer.
 */
import { and, asc, eq } from "drizzle-orm";
import type { AgentPrincipal } from "../../auth/principal.js";
import type { DesiredState } from "../../contract/agent.js";
import { agents, assignments, clusters, installRevisions, installs } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import { agentState } from "../clusters/agent-state.js";
import { pendingRequestsQuery } from "../operations/pending-requests.js";
import { agentRuntime, MAX_DOCUMENTS, remember } from "./runtime-state.js";

/** What every agent of a cluster sees alike at one revision. */
export interface SharedDocument {
  revision: number;
  installs: DesiredState["installs"];
  assignments: DesiredState["assignments"];
  runRequests: NonNullable<DesiredState["runRequests"]>;
}

type ClusterLease = {
  desiredRevision: number;
  leaseAgentId: string | null;
  leaseEpoch: number;
  leaseExpiresAt: number | null;
};
type AgentRow = Pick<typeof agents.$inferSelect, "id" | "hostname" | "inventory" | "lastSeenAt">;

function reads(ctx: Ctx, clusterId: string) {
  const { db } = ctx.deps;
  return {
    cluster: db
      .select({
        desiredRevision: clusters.desiredRevision,
        leaseAgentId: clusters.leaseAgentId,
        leaseEpoch: clusters.leaseEpoch,
        leaseExpiresAt: clusters.leaseExpiresAt,
      })
      .from(clusters)
      .where(eq(clusters.id, clusterId))
      .limit(1),
    agents: db
      .select({
        id: agents.id,
        hostname: agents.hostname,
        inventory: agents.inventory,
        lastSeenAt: agents.lastSeenAt,
      })
      .from(agents)
      .where(eq(agents.clusterId, clusterId))
      .orderBy(asc(agents.hostname), asc(agents.id)),
    installs: db
      .select({
        installId: installs.id,
        appId: installs.appId,
        packageName: installs.packageName,
        packageVersion: installRevisions.packageVersion,
        revision: installRevisions.revision,
        plan: installRevisions.plan,
      })
      .from(installs)
      .innerJoin(
        installRevisions,
        and(
          eq(installRevisions.installId, installs.id),
          eq(installRevisions.revision, installs.currentRevision),
        ),
      )
      .where(eq(installs.clusterId, clusterId))
      .orderBy(asc(installs.appId)),
    assignments: db
      .select()
      .from(assignments)
      .where(eq(assignments.clusterId, clusterId))
      .orderBy(asc(assignments.taskId)),
    runRequests: pendingRequestsQuery(db, clusterId, ctx.deps.clock.now()),
  };
}

/** The desired-state document for `agent`, at the cluster's current revision. */
export async function buildDesiredState(ctx: Ctx, agent: AgentPrincipal): Promise<DesiredState> {
  const { db, notifier } = ctx.deps;
  const q = reads(ctx, agent.clusterId);
  // Only a long-lived process (Node, which has the notifier) keeps documents in memory.
  const cache = notifier ? agentRuntime(ctx.deps).documents : undefined;
  const cached = cache?.get(agent.clusterId);
  if (cached) {
    const [[cluster], agentRows] = await db.batch([q.cluster, q.agents]);
    if (!cluster) throw notFound(`cluster ${agent.clusterId}`);
    if (cluster.desiredRevision === cached.revision) return compose(ctx, agent, cluster, agentRows, cached);
  }
  const [[cluster], agentRows, installRows, assignmentRows, requestRows] = await db.batch([
    q.cluster,
    q.agents,
    q.installs,
    q.assignments,
    q.runRequests,
  ]);
  if (!cluster) throw notFound(`cluster ${agent.clusterId}`);
  const shared: SharedDocument = {
    revision: cluster.desiredRevision,
    installs: installRows,
    assignments: assignmentRows.map((a) => ({
      taskId: a.taskId,
      agentId: a.agentId,
      spec: a.spec,
      kill: a.killRequestedAt !== null,
      epoch: a.epoch,
    })),
    runRequests: requestRows.map(({ requestId, jobId, requestedAt }) => ({ requestId, jobId, requestedAt })),
  };
  if (cache) remember(cache, agent.clusterId, shared, MAX_DOCUMENTS);
  notifier?.announce(agent.clusterId, shared.revision);
  return compose(ctx, agent, cluster, agentRows, shared);
}

function compose(
  ctx: Ctx,
  agent: AgentPrincipal,
  cluster: ClusterLease,
  agentRows: AgentRow[],
  shared: SharedDocument,
): DesiredState {
  const now = ctx.deps.clock.now();
  const holder =
    cluster.leaseAgentId === agent.agentId && cluster.leaseExpiresAt !== null && cluster.leaseExpiresAt > now;
  return {
    revision: shared.revision,
    clusterId: agent.clusterId,
    agentId: agent.agentId,
    generatedAt: now,
    installs: shared.installs,
    lease: { holder, epoch: cluster.leaseEpoch, expiresAt: cluster.leaseExpiresAt },
    agents: holder
      ? agentRows.map((a) => ({
          agentId: a.id,
          hostname: a.hostname,
          inventory: a.inventory,
          lastSeenAt: a.lastSeenAt,
          state: agentState(a.lastSeenAt, now, ctx.deps.config),
        }))
      : [],
    assignments: holder ? shared.assignments : shared.assignments.filter((a) => a.agentId === agent.agentId),
    runRequests: holder ? shared.runRequests : [],
  };
}

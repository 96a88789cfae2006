/**
 * Assignments: the lease holder's scheduling decisions (launch task T on agent A with this
 * spec; kill T; forget T once it has ended). Fenced by the lease epoch: every statement of the
 * batch carries the condition "the caller holds the lease with this epoch and it has not
 * expired", and the batch is one transaction, so a deposed holder's late write changes
 * nothing and gets 409 STALE_EPOCH. Idempotent by task id: a resend needs nothing and moves
 * no revision; an accepted change moves it, so each agent sees its own assignments.
 */
import { and, eq, gt, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import { requireAgent } from "../../auth/principal.js";
import type { AssignmentsRequest, AssignmentsResponse } from "../../contract/agent.js";
import { agents, assignments, clusters } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { ApiError, conflict } from "../../errors.js";
import { announceRevision } from "../clusters/desired-revision.js";
import { runBatch } from "./batch.js";
import { touchAgent } from "./heartbeat.js";

/** `column in (…ids)` with the ids as one JSON parameter (D1 caps bound parameters at 100). */
const inList = (column: AnySQLiteColumn, ids: string[]) =>
  sql`${column} in (select value from json_each(${JSON.stringify(ids)}))`;

const stale = (message: string, epoch: number) =>
  new ApiError(
    "CONFLICT",
    `${message}: renew the lease (POST …/lease), fetch a fresh desired state and plan again`,
    "STALE_EPOCH",
    { currentEpoch: epoch },
  );

export async function applyAssignments(
  ctx: Ctx,
  clusterId: string,
  req: AssignmentsRequest,
): Promise<AssignmentsResponse> {
  const agent = requireAgent(ctx.principal, clusterId);
  const { db, clock } = ctx.deps;
  const me = agent.agentId;
  const now = clock.now();
  const launch = new Map<string, AssignmentsRequest["launch"][number]>();
  for (const l of req.launch) if (!launch.has(l.taskId)) launch.set(l.taskId, l); // first wins
  const kill = [...new Set(req.kill)];
  const forget = [...new Set(req.forget)];
  const taskIds = [...new Set([...launch.keys(), ...kill, ...forget])];
  const targetAgents = [...new Set([...launch.values()].map((l) => l.agentId))];

  const [[cluster], known, members, [caller]] = await db.batch([
    db.select().from(clusters).where(eq(clusters.id, clusterId)).limit(1),
    db
      .select({ taskId: assignments.taskId, agentId: assignments.agentId, kill: assignments.killRequestedAt })
      .from(assignments)
      .where(and(eq(assignments.clusterId, clusterId), inList(assignments.taskId, taskIds))),
    db
      .select({ id: agents.id })
      .from(agents)
      .where(and(eq(agents.clusterId, clusterId), inList(agents.id, targetAgents))),
    db.select({ lastSeenAt: agents.lastSeenAt }).from(agents).where(eq(agents.id, me)).limit(1),
  ]);
  if (!cluster || !caller)
    throw new ApiError("UNAUTHENTICATED", "this agent or its cluster no longer exists: register it again");
  await touchAgent(ctx.deps, me, caller.lastSeenAt);
  if (cluster.leaseAgentId !== me)
    throw stale("this agent does not hold the scheduling lease", cluster.leaseEpoch);
  if (cluster.leaseEpoch !== req.epoch)
    throw stale(`epoch ${req.epoch} is not the current epoch ${cluster.leaseEpoch}`, cluster.leaseEpoch);
  if (cluster.leaseExpiresAt === null || cluster.leaseExpiresAt <= now)
    throw stale("the scheduling lease has expired", cluster.leaseEpoch);

  const memberIds = new Set(members.map((m) => m.id));
  const strangers = targetAgents.filter((a) => !memberIds.has(a));
  if (strangers.length > 0)
    throw new ApiError(
      "VALIDATION",
      `not agents of this cluster: ${strangers.join(", ")}; assign tasks only to agents listed in the desired state`,
      "UNKNOWN_AGENT",
      { agents: strangers },
    );
  const existing = new Map(known.map((k) => [k.taskId, k] as const));
  const moved = [...launch.values()].filter((l) => {
    const k = existing.get(l.taskId);
    return k !== undefined && k.agentId !== l.agentId;
  });
  if (moved.length > 0)
    throw conflict(
      `tasks already assigned to another agent: ${moved.map((m) => m.taskId).join(", ")}; launch a new task id instead`,
      "TASK_ASSIGNED",
      { tasks: moved.map((m) => m.taskId) },
    );

  const launched = [...launch.keys()].filter((t) => !existing.has(t));
  const killed = kill.filter((t) => launch.has(t) || (existing.has(t) && existing.get(t)?.kill === null));
  const forgotten = forget.filter((t) => launch.has(t) || existing.has(t));
  const acted = new Set([...launched, ...killed, ...forgotten]);
  const ignored = taskIds.filter((t) => !acted.has(t));
  if (acted.size === 0) return { revision: cluster.desiredRevision, launched, killed, forgotten, ignored };

  // Every statement repeats the fence; the batch is one transaction, so all see the same lease.
  const fence = sql`exists (select 1 from ${clusters} where ${clusters.id} = ${clusterId}
    and ${clusters.leaseAgentId} = ${me} and ${clusters.leaseEpoch} = ${req.epoch}
    and ${clusters.leaseExpiresAt} > ${now})`;
  const statements: BatchItem<"sqlite">[] = [
    db
      .update(clusters)
      .set({ desiredRevision: sql`${clusters.desiredRevision} + 1` })
      .where(
        and(
          eq(clusters.id, clusterId),
          eq(clusters.leaseAgentId, me),
          eq(clusters.leaseEpoch, req.epoch),
          gt(clusters.leaseExpiresAt, now),
        ),
      )
      .returning({ desiredRevision: clusters.desiredRevision }),
  ];
  if (launched.length > 0) {
    const rows = launched.map((t) => launch.get(t));
    // Columns in table order: cluster_id, task_id, agent_id, spec, kill_requested_at, epoch, created_at.
    statements.push(
      db
        .insert(assignments)
        .select(
          sql`select ${clusterId}, json_extract(value, '$.taskId'), json_extract(value, '$.agentId'),
            json_extract(value, '$.spec'), null, ${req.epoch}, ${now}
            from json_each(${JSON.stringify(rows)}) where ${fence}`,
        )
        .onConflictDoNothing(),
    );
  }
  if (killed.length > 0)
    statements.push(
      db
        .update(assignments)
        .set({ killRequestedAt: now })
        .where(and(eq(assignments.clusterId, clusterId), inList(assignments.taskId, killed), fence)),
    );
  if (forgotten.length > 0)
    statements.push(
      db
        .delete(assignments)
        .where(and(eq(assignments.clusterId, clusterId), inList(assignments.taskId, forgotten), fence)),
    );
  const [bumped] = (await runBatch(db, statements)) as [{ desiredRevision: number }[]];
  // The lease changed between the read and the batch: the fence held and nothing was written.
  if (!bumped[0]) throw stale("the scheduling lease changed while these assignments were applied", req.epoch);
  announceRevision(ctx.deps, clusterId, bumped[0].desiredRevision);
  return { revision: bumped[0].desiredRevision, launched, killed, forgotten, ignored };
}

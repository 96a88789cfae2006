/**
 * The scheduling lease of a cluster: one agent at a time schedules, until its lease expires
 * unless renewed. Every write is a conditional UPDATE on the lease as it was read (holder,
 * epoch, expiry), so two agents racing for a free lease cannot both win, and a renewal racing
 * a takeover loses cleanly. Each new holder gets epoch + 1: the fencing token that
 * assignments must carry. A change of holder moves the desired-state revision, so the new
 * holder's next poll brings it the whole cluster (and the old holder sees it lost the lease).
 */
import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { type AgentPrincipal, actorOf, requireAgent } from "../../auth/principal.js";
import { newId } from "../../auth/secrets.js";
import type { Lease } from "../../contract/agent.js";
import { agents, auditLog, clusters } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { ApiError } from "../../errors.js";
import { announceRevision } from "../clusters/desired-revision.js";
import { touchAgent } from "./heartbeat.js";

type LeaseRow = { leaseAgentId: string | null; leaseEpoch: number; leaseExpiresAt: number | null };

const view = (row: LeaseRow, me: string, now: number): Lease => {
  const live = row.leaseExpiresAt !== null && row.leaseExpiresAt > now && row.leaseAgentId !== null;
  return {
    holder: live && row.leaseAgentId === me,
    epoch: row.leaseEpoch,
    expiresAt: live ? row.leaseExpiresAt : null,
    ttlMs: live ? (row.leaseExpiresAt as number) - now : 0,
  };
};

/** The lease as it stands, after losing a race. */
async function leaseNow(ctx: Ctx, clusterId: string, me: string, now: number): Promise<Lease> {
  const [row] = await ctx.deps.db
    .select({
      leaseAgentId: clusters.leaseAgentId,
      leaseEpoch: clusters.leaseEpoch,
      leaseExpiresAt: clusters.leaseExpiresAt,
    })
    .from(clusters)
    .where(eq(clusters.id, clusterId));
  return view(row ?? { leaseAgentId: null, leaseEpoch: 0, leaseExpiresAt: null }, me, now);
}

/** Audits a change of holder, in the same batch, only if the conditional update took effect. */
function auditIfHeld(
  ctx: Ctx,
  agent: AgentPrincipal,
  action: "lease.acquire" | "lease.release",
  epoch: number,
  now: number,
) {
  const { db } = ctx.deps;
  const details = JSON.stringify({ epoch });
  const holder =
    action === "lease.acquire"
      ? sql`${clusters.leaseAgentId} = ${agent.agentId}`
      : sql`${clusters.leaseAgentId} is null`;
  // Columns in table order: id, at, actor, action, target, details.
  return db.insert(auditLog).select(
    sql`select ${newId("aud_")}, ${now}, ${actorOf(agent)}, ${action}, ${agent.clusterId}, ${details}
      where exists (select 1 from ${clusters} where ${clusters.id} = ${agent.clusterId}
        and ${clusters.leaseEpoch} = ${epoch} and ${holder})`,
  );
}

/** Acquires or renews the caller's lease, or (with `release`) gives it up. */
export async function acquireLease(
  ctx: Ctx,
  clusterId: string,
  input: { release?: boolean },
): Promise<Lease> {
  const agent = requireAgent(ctx.principal, clusterId);
  const { db, clock, config } = ctx.deps;
  const me = agent.agentId;
  const now = clock.now();
  const [row] = await db
    .select({
      leaseAgentId: clusters.leaseAgentId,
      leaseEpoch: clusters.leaseEpoch,
      leaseExpiresAt: clusters.leaseExpiresAt,
      lastSeenAt: agents.lastSeenAt,
    })
    .from(clusters)
    .innerJoin(agents, eq(agents.id, me))
    .where(eq(clusters.id, clusterId))
    .limit(1);
  if (!row)
    throw new ApiError(
      "UNAUTHENTICATED",
      "this agent no longer exists: register it again with a new join token (flotilla cluster token)",
    );
  await touchAgent(ctx.deps, me, row.lastSeenAt);
  const current = view(row, me, now);
  const held = and(
    eq(clusters.id, clusterId),
    eq(clusters.leaseAgentId, me),
    eq(clusters.leaseEpoch, row.leaseEpoch),
  );
  const returning = {
    leaseAgentId: clusters.leaseAgentId,
    leaseEpoch: clusters.leaseEpoch,
    leaseExpiresAt: clusters.leaseExpiresAt,
    desiredRevision: clusters.desiredRevision,
  };

  if (input.release) {
    if (row.leaseAgentId !== me) return current;
    const [[released]] = await db.batch([
      db
        .update(clusters)
        .set({
          leaseAgentId: null,
          leaseExpiresAt: null,
          desiredRevision: sql`${clusters.desiredRevision} + 1`,
        })
        .where(held)
        .returning(returning),
      auditIfHeld(ctx, agent, "lease.release", row.leaseEpoch, now),
    ]);
    announceRevision(ctx.deps, clusterId, released?.desiredRevision);
    return released ? view(released, me, now) : current;
  }

  const expiresAt = now + config.leaseMs;
  if (row.leaseAgentId === me) {
    // Renewal (also after expiry, if nobody took the lease meanwhile): the epoch stays.
    const [renewed] = await db
      .update(clusters)
      .set({ leaseExpiresAt: expiresAt })
      .where(held)
      .returning(returning);
    return renewed ? view(renewed, me, now) : leaseNow(ctx, clusterId, me, now);
  }
  if (current.expiresAt !== null) return current; // another agent holds a live lease

  const epoch = row.leaseEpoch + 1;
  const [[taken]] = await db.batch([
    db
      .update(clusters)
      .set({
        leaseAgentId: me,
        leaseEpoch: epoch,
        leaseExpiresAt: expiresAt,
        desiredRevision: sql`${clusters.desiredRevision} + 1`,
      })
      .where(
        and(
          eq(clusters.id, clusterId),
          eq(clusters.leaseEpoch, row.leaseEpoch),
          or(
            isNull(clusters.leaseAgentId),
            isNull(clusters.leaseExpiresAt),
            lte(clusters.leaseExpiresAt, now),
          ),
        ),
      )
      .returning(returning),
    auditIfHeld(ctx, agent, "lease.acquire", epoch, now),
  ]);
  // Another agent won the race: answer with the lease as it now stands.
  if (!taken) return leaseNow(ctx, clusterId, me, now);
  announceRevision(ctx.deps, clusterId, taken.desiredRevision);
  ctx.deps.logger.info("scheduling lease taken", { clusterId, agentId: me, epoch });
  return view(taken, me, now);
}

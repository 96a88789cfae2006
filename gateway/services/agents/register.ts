/**
 * Agent registration: a join token buys one agent credential for its cluster. The use is
 * consumed by one conditional UPDATE (valid, unexpired, uses < max_uses … RETURNING), so two
 * agents registering at once with the last use cannot both succeed; the agent row, its audit
 * entry and the revision bump (the lease holder must learn of the new node) land in one batch.
 */
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { AgentPrincipal } from "../../auth/principal.js";
import { hashSecret, newId, newSecret } from "../../auth/secrets.js";
import type { RegisterRequest, RegisterResponse } from "../../contract/agent.js";
import { agents, clusters, joinTokens } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import type { Ctx } from "../../env.js";
import { ApiError } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { announceRevision, bumpDesiredRevision } from "../clusters/desired-revision.js";
import { heartbeatWritten } from "./heartbeat.js";

const NEW_TOKEN = "ask an operator for a new one (flotilla cluster token <cluster>)";

/** Why a join token was refused, as a 401 that says which and what to do. */
async function refusal(db: Db, hash: string, now: number): Promise<ApiError> {
  const [row] = await db.select().from(joinTokens).where(eq(joinTokens.secretHash, hash)).limit(1);
  const refuse = (reason: string, message: string) => new ApiError("UNAUTHENTICATED", message, reason);
  if (!row)
    return refuse(
      "JOIN_TOKEN_UNKNOWN",
      `this join token is not known to the gateway: check it, or ${NEW_TOKEN}`,
    );
  if (row.revokedAt !== null)
    return refuse("JOIN_TOKEN_REVOKED", `this join token was revoked: ${NEW_TOKEN}`);
  if (row.expiresAt <= now)
    return refuse(
      "JOIN_TOKEN_EXPIRED",
      `this join token expired at ${new Date(row.expiresAt).toISOString()}: ${NEW_TOKEN}`,
    );
  return refuse(
    "JOIN_TOKEN_USED_UP",
    `this join token has been used ${row.uses} of ${row.maxUses} times: ${NEW_TOKEN}`,
  );
}

export async function registerAgent(ctx: Ctx, input: RegisterRequest): Promise<RegisterResponse> {
  const { db, clock, config } = ctx.deps;
  const now = clock.now();
  const joinHash = await hashSecret(input.joinToken);
  const [token] = await db
    .update(joinTokens)
    .set({ uses: sql`${joinTokens.uses} + 1` })
    .where(
      and(
        eq(joinTokens.secretHash, joinHash),
        isNull(joinTokens.revokedAt),
        gt(joinTokens.expiresAt, now),
        lt(joinTokens.uses, joinTokens.maxUses),
      ),
    )
    .returning({ id: joinTokens.id, clusterId: joinTokens.clusterId });
  if (!token) throw await refusal(db, joinHash, now);

  const credential = newSecret("agent");
  const agent: AgentPrincipal = { kind: "agent", agentId: newId("ag_"), clusterId: token.clusterId };
  let results: [unknown, unknown, { desiredRevision: number }[], { name: string }[]];
  try {
    results = await db.batch([
      db.insert(agents).values({
        id: agent.agentId,
        clusterId: agent.clusterId,
        hostname: input.hostname,
        secretHash: await hashSecret(credential),
        inventory: input.inventory ?? null,
        lastSeenAt: now,
        createdAt: now,
      }),
      auditStatement(db, agent, now, {
        action: "agent.register",
        target: agent.agentId,
        details: { hostname: input.hostname, joinTokenId: token.id, clusterId: agent.clusterId },
      }),
      bumpDesiredRevision(db, agent.clusterId),
      db.select({ name: clusters.name }).from(clusters).where(eq(clusters.id, agent.clusterId)),
    ]);
  } catch (e) {
    // The registration did not happen: give the use back so the token is not wasted.
    await db
      .update(joinTokens)
      .set({ uses: sql`max(${joinTokens.uses} - 1, 0)` })
      .where(eq(joinTokens.id, token.id))
      .catch(() => undefined);
    throw e;
  }
  const [, , bumped, names] = results;
  announceRevision(ctx.deps, agent.clusterId, bumped[0]?.desiredRevision);
  heartbeatWritten(ctx.deps, agent.agentId, now);
  ctx.deps.logger.info("agent registered", {
    agentId: agent.agentId,
    clusterId: agent.clusterId,
    hostname: input.hostname,
  });
  return {
    agentId: agent.agentId,
    clusterId: agent.clusterId,
    clusterName: names[0]?.name ?? agent.clusterId,
    credential,
    settings: {
      heartbeatWriteMs: config.heartbeatWriteMs,
      agentStaleMs: config.agentStaleMs,
      leaseMs: config.leaseMs,
      maxWaitSeconds: Math.min(30, Math.floor(config.maxWaitMs / 1000)),
      longPoll: ctx.deps.notifier !== undefined,
    },
  };
}

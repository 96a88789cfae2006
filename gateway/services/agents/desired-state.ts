/**
 * The desired-state poll: the hottest path of the gateway. An unchanged poll answers 304.
 * On Node it touches no database: the principal comes from the auth cache, the cluster's
 * revision from the in-process notifier (seeded once per cluster from the database, and told
 * of every bump this process makes), and the heartbeat is written only when due. A long-poll
 * waits on the notifier until the revision passes or the wait ends. On Workers there is no
 * notifier: one indexed read (cluster revision + the agent's last heartbeat) decides, and the
 * answer is immediate.
 */
import { eq } from "drizzle-orm";
import { requireAgent } from "../../auth/principal.js";
import type { DesiredState } from "../../contract/agent.js";
import { agents, clusters } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { ApiError, notFound } from "../../errors.js";
import { buildDesiredState } from "./document.js";
import { touchAgent } from "./heartbeat.js";

export type PollResult = { status: 304; revision: number } | { status: 200; document: DesiredState };

export interface PollInput {
  /** The revision the agent has (If-None-Match or ?since). */
  since: number | undefined;
  waitSeconds: number | undefined;
  /** Aborts a long-poll when the client goes away. */
  signal?: AbortSignal;
}

/** `"12"`, `W/"12"` or `"12", "11"` → 12 (the first tag); anything else → undefined. */
export function revisionFromTag(header: string | undefined): number | undefined {
  const m = header ? /^\s*(?:W\/)?"?(\d{1,15})"?/.exec(header) : null;
  return m ? Number(m[1]) : undefined;
}

export const revisionTag = (revision: number) => `"${revision}"`;

async function seedRevision(ctx: Ctx, clusterId: string): Promise<number> {
  const [row] = await ctx.deps.db
    .select({ revision: clusters.desiredRevision })
    .from(clusters)
    .where(eq(clusters.id, clusterId))
    .limit(1);
  if (!row) throw notFound(`cluster ${clusterId}`);
  ctx.deps.notifier?.announce(clusterId, row.revision);
  return ctx.deps.notifier?.current(clusterId) ?? row.revision;
}

export async function pollDesiredState(ctx: Ctx, clusterId: string, input: PollInput): Promise<PollResult> {
  const agent = requireAgent(ctx.principal, clusterId);
  const { deps } = ctx;
  const { notifier } = deps;
  if (notifier) {
    await touchAgent(deps, agent.agentId);
    const current = notifier.current(clusterId) ?? (await seedRevision(ctx, clusterId));
    if (input.since === current) {
      const waitMs = Math.min((input.waitSeconds ?? 0) * 1000, deps.config.maxWaitMs);
      if (waitMs <= 0) return { status: 304, revision: current };
      const moved = await notifier.wait(clusterId, current, waitMs, input.signal);
      if (moved === undefined) return { status: 304, revision: current };
    }
  } else {
    const [row] = await deps.db
      .select({ revision: clusters.desiredRevision, lastSeenAt: agents.lastSeenAt })
      .from(clusters)
      .innerJoin(agents, eq(agents.id, agent.agentId))
      .where(eq(clusters.id, clusterId))
      .limit(1);
    if (!row)
      throw new ApiError(
        "UNAUTHENTICATED",
        "this agent no longer exists: register it again with a new join token (flotilla cluster token)",
      );
    await touchAgent(deps, agent.agentId, row.lastSeenAt);
    if (input.since === row.revision) return { status: 304, revision: row.revision };
  }
  return { status: 200, document: await buildDesiredState(ctx, agent) };
}

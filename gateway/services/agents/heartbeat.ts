/**
 * Heartbeats: every authenticated agent request says "this agent is alive", but polls are far
 * more frequent than the liveness the operator needs, so `agents.last_seen_at` is written at
 * most every `config.heartbeatWriteMs` per agent. The decision uses this app's memory of the
 * last write (Node: no database work at all on most polls) or the value the caller already
 * read (Workers); the write itself is conditional, so two isolates cannot both write.
 */
import { and, eq, isNull, lte, or } from "drizzle-orm";
import { agents } from "../../db/schema.js";
import type { Db, Deps } from "../../deps.js";
import { agentRuntime, MAX_HEARTBEATS, remember } from "./runtime-state.js";

/**
 * Whether a heartbeat write is due for the agent at `now`. `knownLastSeen` is the stored
 * value when the caller has just read it (undefined when it has not).
 */
export function heartbeatDue(
  deps: Deps,
  agentId: string,
  now: number,
  knownLastSeen?: number | null,
): boolean {
  const seen = [agentRuntime(deps).heartbeats.get(agentId), knownLastSeen].filter(
    (t): t is number => typeof t === "number",
  );
  return seen.length === 0 || now - Math.max(...seen) >= deps.config.heartbeatWriteMs;
}

/** The conditional write: only moves last_seen_at when the stored value is old enough. */
export const heartbeatStatement = (deps: Deps, db: Db, agentId: string, now: number) =>
  db
    .update(agents)
    .set({ lastSeenAt: now })
    .where(
      and(
        eq(agents.id, agentId),
        or(isNull(agents.lastSeenAt), lte(agents.lastSeenAt, now - deps.config.heartbeatWriteMs)),
      ),
    );

/** Notes in memory that the agent's heartbeat was stored (or seen) at `at`. */
export const heartbeatWritten = (deps: Deps, agentId: string, at: number): void =>
  remember(agentRuntime(deps).heartbeats, agentId, at, MAX_HEARTBEATS);

/** Forgets a deleted agent. */
export const forgetHeartbeat = (deps: Deps, agentId: string): void => {
  agentRuntime(deps).heartbeats.delete(agentId);
};

/** Records a sighting of the agent, writing only when due. */
export async function touchAgent(deps: Deps, agentId: string, knownLastSeen?: number | null): Promise<void> {
  const now = deps.clock.now();
  if (!heartbeatDue(deps, agentId, now, knownLastSeen)) return;
  await heartbeatStatement(deps, deps.db, agentId, now);
  heartbeatWritten(deps, agentId, now);
}

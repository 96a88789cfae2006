/**
 * Status ingest: a batch of task, job-run and deployment updates (and the node's inventory)
 * from one agent. Delivery is at least once, so every update carries an id: ids already
 * received (status_receipts) are acknowledged again and change nothing; the rest are stored
 * with their receipts in one batch, so an update and its receipt land together or not at all.
 */
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { requireAgent } from "../../auth/principal.js";
import type { StatusAck, StatusBatch, StatusUpdate } from "../../contract/agent.js";
import { agents, statusReceipts } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { ApiError } from "../../errors.js";
import { announceRevision, bumpDesiredRevision } from "../clusters/desired-revision.js";
import { runBatch } from "./batch.js";
import { heartbeatDue, heartbeatStatement, heartbeatWritten } from "./heartbeat.js";
import { pruneHistoryStatements } from "./history-prune.js";
import { inventoryChange } from "./inventory.js";
import { agentRuntime } from "./runtime-state.js";
import { pruneReceiptsStatement, statusStatements } from "./status-statements.js";

/** How often (per app) old receipts and history (history-prune.ts) are pruned, on the back of an ingest. */
const PRUNE_EVERY_MS = 60_000;

export async function ingestStatus(ctx: Ctx, clusterId: string, batch: StatusBatch): Promise<StatusAck> {
  const agent = requireAgent(ctx.principal, clusterId);
  const { deps } = ctx;
  const { db } = deps;
  const now = deps.clock.now();

  // A batch may repeat an id (an outbox written twice): the first occurrence counts.
  const byId = new Map<string, StatusUpdate>();
  for (const u of batch.updates) if (!byId.has(u.id)) byId.set(u.id, u);
  const ids = [...byId.keys()];

  const [receipts, [me]] = await db.batch([
    db
      .select({ updateId: statusReceipts.updateId })
      .from(statusReceipts)
      .where(
        and(
          eq(statusReceipts.agentId, agent.agentId),
          sql`${statusReceipts.updateId} in (select value from json_each(${JSON.stringify(ids)}))`,
        ),
      ),
    db
      .select({ inventory: agents.inventory, lastSeenAt: agents.lastSeenAt })
      .from(agents)
      .where(eq(agents.id, agent.agentId))
      .limit(1),
  ]);
  if (!me)
    throw new ApiError(
      "UNAUTHENTICATED",
      "this agent no longer exists: register it again with a new join token (flotilla cluster token)",
    );
  const duplicates = new Set(receipts.map((r) => r.updateId));
  const fresh = [...byId.values()].filter((u) => !duplicates.has(u.id));

  const statements: BatchItem<"sqlite">[] = statusStatements(db, clusterId, agent.agentId, fresh, now);
  const beat = heartbeatDue(deps, agent.agentId, now, me.lastSeenAt);
  const inv = batch.inventory ? inventoryChange(me.inventory, batch.inventory) : undefined;
  if (batch.inventory && inv?.changed) {
    statements.push(
      db
        .update(agents)
        .set({ inventory: batch.inventory, ...(beat && { lastSeenAt: now }) })
        .where(eq(agents.id, agent.agentId)),
    );
  } else if (beat) {
    statements.push(heartbeatStatement(deps, db, agent.agentId, now));
  }
  const bumpAt = inv?.placement ? statements.push(bumpDesiredRevision(db, clusterId)) - 1 : -1;
  const rt = agentRuntime(deps);
  if (statements.length > 0 && now - rt.lastPruneAt >= PRUNE_EVERY_MS) {
    rt.lastPruneAt = now;
    statements.push(pruneReceiptsStatement(db, now), ...pruneHistoryStatements(db, now));
  }

  const results = await runBatch(db, statements);
  if (beat) heartbeatWritten(deps, agent.agentId, now);
  if (bumpAt >= 0) {
    const bumped = results[bumpAt] as { desiredRevision: number }[];
    announceRevision(deps, clusterId, bumped[0]?.desiredRevision);
  }
  return { acknowledged: ids, duplicates: ids.filter((id) => duplicates.has(id)) };
}

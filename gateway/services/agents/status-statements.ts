/**
 * The writes of a status batch, one statement per kind whatever the batch size: the updates
 * travel as one JSON parameter and SQLite's json_each turns them into rows (D1 allows only
 * 100 bound parameters a statement and counts every statement of a batch). Each upsert keeps
 * the newer state: a row is overwritten only by an update whose `at` is not older than the
 * stored one, so a late retry never rolls a task, run or deployment back.
 */
import { type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { StatusUpdate } from "../../contract/agent.js";
import { deploymentStatus, jobRuns, statusReceipts, tasks } from "../../db/schema.js";
import type { Db } from "../../deps.js";

type Of<K extends StatusUpdate["kind"]> = Extract<StatusUpdate, { kind: K }>;

/** `json_extract(value, '$.field')` of the current json_each row. */
const field = (name: string): SQL => sql`json_extract(value, ${`$.${name}`})`;
const rows = (values: unknown[]): SQL => sql`json_each(${JSON.stringify(values)})`;

/** Keeps a job run's start and end times when a later update leaves them out. */
const keep = (column: AnySQLiteColumn, excluded: string) =>
  sql`coalesce(${sql.raw(`excluded.${excluded}`)}, ${column})`;

function taskStatement(db: Db, clusterId: string, agentId: string, updates: Of<"task">[], now: number) {
  const values = updates.map((u) => ({
    taskId: u.taskId,
    appId: u.appId,
    state: u.state,
    healthy: u.healthy ?? null,
    ports: u.ports,
    version: u.version ?? null,
    message: u.message ?? null,
    at: u.at,
  }));
  // Columns in table order: cluster_id, task_id, app_id, agent_id, state, healthy, ports,
  // version, message, reported_at, updated_at. `where true` lets SQLite parse the ON CONFLICT.
  return db
    .insert(tasks)
    .select(
      sql`select ${clusterId}, ${field("taskId")}, ${field("appId")}, ${agentId}, ${field("state")},
        ${field("healthy")}, ${field("ports")}, ${field("version")}, ${field("message")}, ${field("at")},
        ${now} from ${rows(values)} where true`,
    )
    .onConflictDoUpdate({
      target: [tasks.clusterId, tasks.taskId],
      // The agent that first reported a task keeps it: the lease holder may report another
      // node's tasks as LOST, which must not move them to the holder's node.
      set: {
        appId: sql`excluded.app_id`,
        state: sql`excluded.state`,
        healthy: sql`excluded.healthy`,
        ports: sql`excluded.ports`,
        version: keep(tasks.version, "version"),
        message: sql`excluded.message`,
        reportedAt: sql`excluded.reported_at`,
        updatedAt: sql`excluded.updated_at`,
      },
      setWhere: sql`excluded.reported_at >= ${tasks.reportedAt}`,
    });
}

function jobRunStatement(db: Db, clusterId: string, updates: Of<"job-run">[]) {
  const values = updates.map((u) => ({
    runId: u.runId,
    jobId: u.jobId,
    state: u.state,
    message: u.message ?? null,
    startedAt: u.startedAt ?? null,
    finishedAt: u.finishedAt ?? null,
    at: u.at,
  }));
  // cluster_id, run_id, job_id, state, message, started_at, finished_at, reported_at.
  return db
    .insert(jobRuns)
    .select(
      sql`select ${clusterId}, ${field("runId")}, ${field("jobId")}, ${field("state")}, ${field("message")},
        ${field("startedAt")}, ${field("finishedAt")}, ${field("at")} from ${rows(values)} where true`,
    )
    .onConflictDoUpdate({
      target: [jobRuns.clusterId, jobRuns.runId],
      set: {
        jobId: sql`excluded.job_id`,
        state: sql`excluded.state`,
        message: sql`excluded.message`,
        startedAt: keep(jobRuns.startedAt, "started_at"),
        finishedAt: keep(jobRuns.finishedAt, "finished_at"),
        reportedAt: sql`excluded.reported_at`,
      },
      setWhere: sql`excluded.reported_at >= ${jobRuns.reportedAt}`,
    });
}

function deploymentStatement(db: Db, clusterId: string, updates: Of<"deployment">[]) {
  const values = updates.map((u) => ({
    appId: u.appId,
    waitingReason: u.waitingReason,
    step: u.step ?? null,
    at: u.at,
  }));
  // cluster_id, app_id, waiting_reason, step, reported_at.
  return db
    .insert(deploymentStatus)
    .select(
      sql`select ${clusterId}, ${field("appId")}, ${field("waitingReason")}, ${field("step")}, ${field("at")}
        from ${rows(values)} where true`,
    )
    .onConflictDoUpdate({
      target: [deploymentStatus.clusterId, deploymentStatus.appId],
      set: {
        waitingReason: sql`excluded.waiting_reason`,
        step: sql`excluded.step`,
        reportedAt: sql`excluded.reported_at`,
      },
      setWhere: sql`excluded.reported_at >= ${deploymentStatus.reportedAt}`,
    });
}

/** The statements that store `updates` (none of them received before) and their receipts. */
export function statusStatements(
  db: Db,
  clusterId: string,
  agentId: string,
  updates: StatusUpdate[],
  now: number,
): BatchItem<"sqlite">[] {
  if (updates.length === 0) return [];
  const taskUpdates = updates.filter((u): u is Of<"task"> => u.kind === "task");
  const runUpdates = updates.filter((u): u is Of<"job-run"> => u.kind === "job-run");
  const deployUpdates = updates.filter((u): u is Of<"deployment"> => u.kind === "deployment");
  const out: BatchItem<"sqlite">[] = [];
  if (taskUpdates.length) out.push(taskStatement(db, clusterId, agentId, taskUpdates, now));
  if (runUpdates.length) out.push(jobRunStatement(db, clusterId, runUpdates));
  if (deployUpdates.length) out.push(deploymentStatement(db, clusterId, deployUpdates));
  out.push(
    db
      .insert(statusReceipts)
      .select(sql`select ${agentId}, value, ${now} from ${rows(updates.map((u) => u.id))} where true`)
      .onConflictDoNothing(),
  );
  return out;
}

/** Receipts older than this are dropped; an update resent later is still harmless (see above). */
export const RECEIPT_RETENTION_MS = 86_400_000;

/** Deletes a bounded slice of old receipts (the received_at index finds them). */
export const pruneReceiptsStatement = (db: Db, now: number) =>
  db
    .delete(statusReceipts)
    .where(
      sql`rowid in (select rowid from ${statusReceipts} where ${statusReceipts.receivedAt} < ${
        now - RECEIPT_RETENTION_MS
      } limit 1000)`,
    );

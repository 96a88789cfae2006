/**
 * History that would otherwise only accumulate. The lease holder reads every task row and job
 * run of its cluster on each cycle (observed.ts), so rows that pile up — a crash-looping app
 * leaves one task per restart, a cron job one run per tick — would make every cycle slower
 * for as long as the cluster lives.
 * - A task row goes once it has ended, its assignment is gone, and it is either older than
 *   TASK_HISTORY_MS or not among the newest ENDED_TASKS_PER_APP ended tasks of its app. Restart
 *   backoff counts failures of the last hour and carries its count in the holder's memory.
 * - A job keeps its newest RUNS_PER_JOB finished runs (as Metronome keeps a run history); runs
 *   still under way are never dropped, and the newest run of a schedule — where cron picks
 *   up — is always among the kept ones.
 * - A run request goes once it has expired (RUN_REQUEST_TTL_MS) and no run answers it.
 * Statements are bounded (PRUNE_LIMIT rows each) and run on the back of status ingest.
 */
import { sql } from "drizzle-orm";
import { RUN_REQUEST_TTL_MS } from "../../contract/operations.js";
import { assignments, jobRuns, runRequests, tasks } from "../../db/schema.js";
import type { Db } from "../../deps.js";

/** How long an ended task stays visible (status views, the holder's restart backoff). */
export const TASK_HISTORY_MS = 24 * 3_600_000;
/** Ended tasks kept per app inside that window, newest first. */
export const ENDED_TASKS_PER_APP = 50;
/** Finished runs kept per job, newest first. */
export const RUNS_PER_JOB = 100;
const PRUNE_LIMIT = 1_000;

/** States after which a task never runs again (TaskStateSchema; UNREACHABLE may come back). */
export const ENDED_TASK_STATES = ["FINISHED", "FAILED", "KILLED", "ERROR", "LOST", "GONE"] as const;
/** Job run states that are final (JobRunStateSchema). */
export const FINISHED_RUN_STATES = ["SUCCESS", "FAILED", "NOT_RUN"] as const;

const list = (values: readonly string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** Every history statement, for one ingest's batch. */
export const pruneHistoryStatements = (db: Db, now: number) =>
  [pruneTasksStatement(db, now), pruneJobRunsStatement(db), pruneRunRequestsStatement(db, now)] as const;

export const pruneTasksStatement = (db: Db, now: number) =>
  db.delete(tasks).where(
    sql`rowid in (
      select rowid from (
        select t.rowid as rowid, t.reported_at as reported_at,
          row_number() over (partition by t.cluster_id, t.app_id order by t.reported_at desc, t.task_id desc) as newest
        from ${tasks} t
        where t.state in (${list(ENDED_TASK_STATES)})
          and not exists (
            select 1 from ${assignments} a where a.cluster_id = t.cluster_id and a.task_id = t.task_id
          )
      )
      where reported_at < ${now - TASK_HISTORY_MS} or newest > ${ENDED_TASKS_PER_APP}
      limit ${PRUNE_LIMIT}
    )`,
  );

export const pruneJobRunsStatement = (db: Db) =>
  db.delete(jobRuns).where(
    sql`rowid in (
      select rowid from (
        select r.rowid as rowid,
          row_number() over (
            partition by r.cluster_id, r.job_id
            order by coalesce(r.finished_at, r.reported_at) desc, r.run_id desc
          ) as newest
        from ${jobRuns} r
        where r.state in (${list(FINISHED_RUN_STATES)})
      )
      where newest > ${RUNS_PER_JOB}
      limit ${PRUNE_LIMIT}
    )`,
  );

export const pruneRunRequestsStatement = (db: Db, now: number) =>
  db.delete(runRequests).where(
    sql`rowid in (
      select q.rowid from ${runRequests} q
      where q.requested_at <= ${now - RUN_REQUEST_TTL_MS}
        and not exists (
          select 1 from ${jobRuns} r
          where r.cluster_id = q.cluster_id and r.run_id = q.job_id || '.req-' || q.request_id
        )
      limit ${PRUNE_LIMIT}
    )`,
  );

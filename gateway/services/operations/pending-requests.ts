/**
 * Run requests still waiting for their run: no job_runs row named `<jobId>.req-<requestId>` (the
 * jobs engine's name for a request's run) has been reported, and the request is younger than
 * RUN_REQUEST_TTL_MS. The desired-state document carries these to the lease holder; the jobs
 * views list them as pending. Built as an unexecuted query so it can join a db.batch().
 */
import { and, asc, eq, gt, notExists, type SQL, sql } from "drizzle-orm";
import { RUN_REQUEST_TTL_MS } from "../../contract/operations.js";
import { jobRuns, runRequests } from "../../db/schema.js";
import type { Db } from "../../deps.js";

/** `job_runs.run_id` of the run answering a request row, as SQL. */
export const requestRunIdSql = sql`${runRequests.jobId} || '.req-' || ${runRequests.requestId}`;

/** Pending requests of the cluster (of one job when given), oldest first. */
export function pendingRequestsQuery(db: Db, clusterId: string, now: number, jobId?: string) {
  const answered = db
    .select({ one: sql`1` })
    .from(jobRuns)
    .where(and(eq(jobRuns.clusterId, runRequests.clusterId), eq(jobRuns.runId, requestRunIdSql)));
  const conditions: SQL[] = [
    eq(runRequests.clusterId, clusterId),
    gt(runRequests.requestedAt, now - RUN_REQUEST_TTL_MS),
    notExists(answered),
  ];
  if (jobId !== undefined) conditions.push(eq(runRequests.jobId, jobId));
  return db
    .select({
      requestId: runRequests.requestId,
      jobId: runRequests.jobId,
      requestedAt: runRequests.requestedAt,
      requestedBy: runRequests.requestedBy,
    })
    .from(runRequests)
    .where(and(...conditions))
    .orderBy(asc(runRequests.requestedAt), asc(runRequests.requestId));
}

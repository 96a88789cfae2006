/**
 * Reading job runs as agents reported them (job_runs), newest first, each with who asked for it
 * when a request started it. "Newest" is by start, or for a run that never started (INITIAL,
 * NOT_RUN) by its last report, which for those is when it was created.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { jobRuns, runRequests } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import { requestRunIdSql } from "./pending-requests.js";

export type JobRunRow = typeof jobRuns.$inferSelect & { requestedBy: string | null };

/** The newest `limit` runs of one job, as an unexecuted query (for a db.batch of several jobs). */
export function runsOfJobQuery(db: Db, clusterId: string, jobId: string, limit: number) {
  return db
    .select({
      clusterId: jobRuns.clusterId,
      runId: jobRuns.runId,
      jobId: jobRuns.jobId,
      state: jobRuns.state,
      message: jobRuns.message,
      startedAt: jobRuns.startedAt,
      finishedAt: jobRuns.finishedAt,
      reportedAt: jobRuns.reportedAt,
      requestedBy: runRequests.requestedBy,
    })
    .from(jobRuns)
    .leftJoin(
      runRequests,
      and(
        eq(runRequests.clusterId, jobRuns.clusterId),
        eq(runRequests.jobId, jobRuns.jobId),
        eq(jobRuns.runId, requestRunIdSql),
      ),
    )
    .where(and(eq(jobRuns.clusterId, clusterId), eq(jobRuns.jobId, jobId)))
    .orderBy(desc(sql`coalesce(${jobRuns.startedAt}, ${jobRuns.reportedAt})`), desc(jobRuns.runId))
    .limit(limit);
}

/** The newest `limit` runs of each job, in one round trip. */
export async function latestRunsOf(
  db: Db,
  clusterId: string,
  jobIds: readonly string[],
  limit: number,
): Promise<Map<string, JobRunRow[]>> {
  const byJob = new Map<string, JobRunRow[]>();
  const [first, ...rest] = jobIds.map((id) => runsOfJobQuery(db, clusterId, id, limit));
  if (!first) return byJob;
  const results = await db.batch([first, ...rest]);
  jobIds.forEach((id, i) => {
    byJob.set(id, results[i] ?? []);
  });
  return byJob;
}

/** The jobs views (viewer): a cluster's jobs, one job, one job's runs. Reads only. */
import { requireUser } from "../../auth/principal.js";
import type { JobDetail, JobRuns, JobSummary } from "../../contract/operations.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import { getClusterFor } from "../clusters/find.js";
import { clusterInstalls } from "../installs/rows.js";
import { latestRunsOf, runsOfJobQuery } from "./job-runs.js";
import { jobSummary, LATEST_RUNS, pendingView, runView } from "./job-views.js";
import { pendingRequestsQuery } from "./pending-requests.js";
import { findPlanJob, jobsOfPlans } from "./plan-jobs.js";

async function clusterJobs(ctx: Ctx, clusterRef: string) {
  const user = requireUser(ctx.principal, "viewer");
  const cluster = await getClusterFor(ctx.deps.db, user, clusterRef);
  return { cluster, jobs: jobsOfPlans(await clusterInstalls(ctx.deps.db, cluster.id)) };
}

/** `GET /v1/clusters/{cluster}/jobs`. */
export async function listJobs(ctx: Ctx, clusterRef: string): Promise<{ jobs: JobSummary[] }> {
  const { cluster, jobs } = await clusterJobs(ctx, clusterRef);
  const runs = await latestRunsOf(
    ctx.deps.db,
    cluster.id,
    jobs.map((j) => j.job.id),
    LATEST_RUNS,
  );
  const now = ctx.deps.clock.now();
  return { jobs: jobs.map((j) => jobSummary(j, jobs, runs.get(j.job.id) ?? [], now)) };
}

/** `GET /v1/clusters/{cluster}/jobs/{jobId}`. */
export async function describeJob(ctx: Ctx, clusterRef: string, jobId: string): Promise<JobDetail> {
  const { cluster, jobs } = await clusterJobs(ctx, clusterRef);
  const found = findPlanJob(jobs, jobId);
  if (!found) throw notFound(`job ${jobId} on cluster ${cluster.name} (list its jobs with GET …/jobs)`);
  const { db, clock } = ctx.deps;
  const now = clock.now();
  const [runs, pending] = await db.batch([
    runsOfJobQuery(db, cluster.id, jobId, LATEST_RUNS),
    pendingRequestsQuery(db, cluster.id, now, jobId),
  ]);
  return {
    ...jobSummary(found, jobs, runs, now),
    definition: found.job as unknown as JobDetail["definition"],
    pendingRequests: pending.map(pendingView),
  };
}

/** `GET /v1/clusters/{cluster}/jobs/{jobId}/runs`: also for a job no plan has any more, while it has runs. */
export async function listJobRuns(
  ctx: Ctx,
  clusterRef: string,
  jobId: string,
  limit: number,
): Promise<JobRuns> {
  const { cluster, jobs } = await clusterJobs(ctx, clusterRef);
  const { db, clock } = ctx.deps;
  const [runs, pending] = await db.batch([
    runsOfJobQuery(db, cluster.id, jobId, limit),
    pendingRequestsQuery(db, cluster.id, clock.now(), jobId),
  ]);
  if (!findPlanJob(jobs, jobId) && runs.length === 0 && pending.length === 0)
    throw notFound(`job ${jobId} on cluster ${cluster.name} (list its jobs with GET …/jobs)`);
  return { jobId, runs: runs.map(runView), pendingRequests: pending.map(pendingView) };
}

/**
 * "Run this job now" (operator): one run_requests row, its audit entry and a desired-revision
 * bump in one batch, so the lease holder wakes and its jobs engine starts the run
 * `<jobId>.req-<requestId>` once. Nothing is written for a job no install's plan has.
 */
import { actorOf, requireUser } from "../../auth/principal.js";
import { newId } from "../../auth/secrets.js";
import { type RunRequested, runIdOfRequest } from "../../contract/operations.js";
import { runRequests } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { getClusterFor } from "../clusters/find.js";
import { iso } from "../clusters/views.js";
import { commitClusterChange } from "../installs/commit.js";
import { clusterInstalls } from "../installs/rows.js";
import { findPlanJob, jobsOfPlans } from "./plan-jobs.js";

/** `POST /v1/clusters/{cluster}/jobs/{jobId}/runs`. */
export async function requestJobRun(ctx: Ctx, clusterRef: string, jobId: string): Promise<RunRequested> {
  const user = requireUser(ctx.principal, "operator");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const found = findPlanJob(jobsOfPlans(await clusterInstalls(db, cluster.id)), jobId);
  if (!found) throw notFound(`job ${jobId} on cluster ${cluster.name} (list its jobs with GET …/jobs)`);
  const now = clock.now();
  // Letters and digits only: the run id built from it must be a valid task id.
  const requestId = newId();
  const runId = runIdOfRequest(jobId, requestId);
  const requestedBy = actorOf(user);
  const { install } = found.install;
  const { desiredRevision } = await commitClusterChange(ctx.deps, cluster.id, [
    db.insert(runRequests).values({ clusterId: cluster.id, requestId, jobId, requestedAt: now, requestedBy }),
    auditStatement(db, user, now, {
      action: "job.run",
      target: jobId,
      details: {
        clusterId: cluster.id,
        jobId,
        requestId,
        runId,
        installId: install.id,
        appId: install.appId,
      },
    }),
  ]);
  return { requestId, jobId, runId, requestedAt: iso(now), requestedBy, desiredRevision };
}

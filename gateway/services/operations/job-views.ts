/**
 * Jobs and runs in their API shapes (gateway/contract/operations.ts). Pure: rows are read
 * elsewhere. A run's trigger is read from its id, which the agent's jobs engine derives from it
 * (`.cron-` a schedule tick, `.req-` a request, `.after-` / `.notrun-` a pipeline step).
 */
import { Cron } from "croner";
import type { Job } from "../../../universe/models/job.js";
import { type JobSummary, type RunView, runIdOfRequest } from "../../contract/operations.js";
import { iso } from "../clusters/views.js";
import { installSummary } from "../installs/views.js";
import type { JobRunRow } from "./job-runs.js";
import { dependentsOf, type PlanJob } from "./plan-jobs.js";

export const LATEST_RUNS = 5;

function triggerOf(jobId: string, runId: string): RunView["trigger"] {
  const rest = runId.startsWith(`${jobId}.`) ? runId.slice(jobId.length + 1) : "";
  if (/^cron-.+-\d+$/.test(rest)) return "schedule";
  if (rest.startsWith("req-")) return "request";
  if (rest.startsWith("after-") || rest.startsWith("notrun-")) return "dependency";
  return null;
}

export function runView(row: JobRunRow): RunView {
  return {
    runId: row.runId,
    jobId: row.jobId,
    state: row.state,
    message: row.message,
    trigger: triggerOf(row.jobId, row.runId),
    requestedBy: row.requestedBy,
    startedAt: row.startedAt === null ? null : iso(row.startedAt),
    finishedAt: row.finishedAt === null ? null : iso(row.finishedAt),
    reportedAt: iso(row.reportedAt),
  };
}

function nextRunAt(cron: string, timezone: string, now: number): string | null {
  try {
    const next = new Cron(cron, { timezone, paused: true }).nextRun(new Date(now));
    return next ? next.toISOString() : null;
  } catch {
    return null;
  }
}

function schedulesOf(job: Job, now: number): JobSummary["schedules"] {
  // The plan is stored JSON: read it defensively rather than trust every default is present.
  return (job.schedules ?? []).map((s) => {
    const timezone = s.timezone ?? "UTC";
    const enabled = s.enabled !== false;
    return {
      id: s.id,
      cron: s.cron,
      timezone,
      enabled,
      concurrencyPolicy: s.concurrencyPolicy ?? "ALLOW",
      startingDeadlineSeconds: s.startingDeadlineSeconds ?? 900,
      nextRunAt: enabled ? nextRunAt(s.cron, timezone, now) : null,
    };
  });
}

export function jobSummary(
  planJob: PlanJob,
  all: readonly PlanJob[],
  runs: readonly JobRunRow[],
  now: number,
): JobSummary {
  const { job, install } = planJob;
  const summary = installSummary(install);
  return {
    id: job.id,
    description: job.description ?? null,
    install: { id: summary.id, appId: summary.appId, package: summary.package, version: summary.version },
    schedules: schedulesOf(job, now),
    dependencies: [...(job.dependencies ?? [])],
    dependents: dependentsOf(all, job.id),
    latestRuns: runs.slice(0, LATEST_RUNS).map(runView),
  };
}

export const pendingView = (r: {
  requestId: string;
  jobId: string;
  requestedAt: number;
  requestedBy: string;
}) => ({
  requestId: r.requestId,
  runId: runIdOfRequest(r.jobId, r.requestId),
  requestedAt: iso(r.requestedAt),
  requestedBy: r.requestedBy,
});

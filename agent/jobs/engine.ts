/**
 * The jobs engine (Metronome semantics): one pure call per scheduling cycle of the lease holder
 * — no I/O, no clock, no randomness — from the jobs of the desired state, the runs the daemon
 * keeps, the operators' run requests and the time, to the runs to create, the attempts to place,
 * the tasks to kill and the run state changes to record and report.
 *
 * One evaluation, in order:
 * 1. every known run follows its attempts (lifecycle.ts: states, restart policy, deadlines);
 * 2. jobs are visited parents first (pipeline.ts), and for each: its dependencies (a run after
 *    its parents' successes, or NOT_RUN runs for their failures), its run requests (one run per
 *    request, `<jobId>.req-<requestId>`), its cron schedules (cron.ts);
 * 3. every run created in step 2 that is to run gets its first attempt, `<runId>.1`.
 *
 * What the daemon does with a decision: record `create` (then `transitions`, in order) in its
 * store in one transaction, setting a run's startedAt from an ACTIVE transition's `at` and its
 * finishedAt from a terminal one's; report them as job-run updates; place `launch` items as tasks
 * with exactly the given task ids and record each placed one as an attempt (STAGING) of its
 * run — an attempt not yet recorded is asked for again, with the same id, on the next call; stop
 * `kill` tasks; keep attempts' states up to date from task status; keep every job's latest runs
 * (never prune a job's latest run, nor a run younger than a day). Fed back that way, a second
 * call with the same input creates and launches nothing new: a trigger starts at most one run.
 */
import { DecisionBuilder, RunBook } from "./book.js";
import { planSchedules } from "./cron.js";
import { requestRunId } from "./ids.js";
import { progressRun } from "./lifecycle.js";
import { orderJobs, planPipeline } from "./pipeline.js";
import type { JobDefinition, JobsDecision, JobsTick, RunRequest } from "./types.js";

/** Jobs by id; should two installs carry one id (the gateway refuses that), the first install wins. */
function indexJobs(jobs: readonly JobDefinition[]): Map<string, JobDefinition> {
  const sorted = [...jobs].sort((a, b) =>
    a.job.id !== b.job.id ? (a.job.id < b.job.id ? -1 : 1) : a.installId < b.installId ? -1 : 1,
  );
  const byId = new Map<string, JobDefinition>();
  for (const def of sorted) if (!byId.has(def.job.id)) byId.set(def.job.id, def);
  return byId;
}

function planRequests(def: JobDefinition, requests: readonly RunRequest[], out: DecisionBuilder): void {
  for (const r of requests) {
    const runId = requestRunId(def.job.id, r.requestId);
    if (out.book.has(runId)) continue;
    out.createRun({
      runId,
      jobId: def.job.id,
      trigger: `request:${r.requestId}`,
      message: `requested at ${new Date(r.requestedAt).toISOString()}`,
    });
  }
}

/**
 * Decides one cycle of the jobs framework.
 *
 * @example
 * const decision = evaluateJobs({ now: Date.now(), jobs, runs: await store.runs(), requests: doc.runRequests ?? [] });
 * // record decision.create and decision.transitions, place decision.launch, stop decision.kill
 */
export function evaluateJobs(tick: JobsTick): JobsDecision {
  const defs = indexJobs(tick.jobs);
  const out = new DecisionBuilder(tick.now, new RunBook(tick.runs));

  for (const run of out.book.all()) progressRun(run, defs.get(run.jobId), out);

  const requests = new Map<string, RunRequest[]>();
  const byTime = [...tick.requests].sort(
    (a, b) => a.requestedAt - b.requestedAt || (a.requestId < b.requestId ? -1 : 1),
  );
  for (const r of byTime) {
    if (!defs.has(r.jobId)) {
      out.skip({
        key: `request:${r.requestId}`,
        jobId: r.jobId,
        reason: `run request ${r.requestId} names job ${r.jobId}, which is not in the desired state`,
      });
      continue;
    }
    requests.set(r.jobId, [...(requests.get(r.jobId) ?? []), r]);
  }

  const { order, blocked } = orderJobs(defs);
  for (const def of order) {
    planPipeline(def, blocked, out);
    planRequests(def, requests.get(def.job.id) ?? [], out);
    planSchedules(def, out);
  }

  for (const run of [...out.created]) {
    if (run.state === "INITIAL") progressRun(run, defs.get(run.jobId), out);
  }
  return out.decision();
}

/**
 * A run's life after it was created: its state follows its attempts (STAGING/STARTING →
 * STARTING, RUNNING → ACTIVE, FINISHED with exit 0 → SUCCESS), a failed attempt fails the run
 * under restart policy NEVER and is relaunched as attempt n+1 under ON_FAILURE until
 * `restart.activeDeadlineSeconds` (counted from the run's creation) has passed, and a run with no
 * attempt that ever ran within `maxLaunchDelay` of its creation fails with "not started within …".
 * An attempt is launched again (same task id) on every evaluation until the daemon records it,
 * as the scheduler's planner re-launches tasks not yet reported.
 */
import { type DecisionBuilder, isTerminal, triggerOf } from "./book.js";
import { attemptNumber } from "./ids.js";
import type { JobDefinition, RunAttempt, RunRecord } from "./types.js";

const ACTIVE_STATES: ReadonlySet<RunAttempt["state"]> = new Set(["STAGING", "STARTING", "RUNNING"]);
export const isActiveAttempt = (a: RunAttempt): boolean => ACTIVE_STATES.has(a.state);

/** FINISHED is success unless a non-zero exit code says otherwise; FAILED/KILLED/ERROR/LOST are failures. */
export const isSuccess = (a: RunAttempt): boolean =>
  a.state === "FINISHED" && (a.exitCode === undefined || a.exitCode === null || a.exitCode === 0);

const describe = (a: RunAttempt) =>
  `task ${a.taskId} ${a.state}${a.exitCode !== undefined && a.exitCode !== null ? ` with exit code ${a.exitCode}` : ""}`;

/** Attempts in launch order (by their number; ids of another shape keep their place after). */
function ordered(run: RunRecord): { attempt: RunAttempt; n: number }[] {
  return run.attempts
    .map((attempt, i) => ({ attempt, n: attemptNumber(run.runId, attempt.taskId) ?? 0, i }))
    .sort((a, b) => a.n - b.n || a.i - b.i);
}

/** Whether some attempt got as far as running its command. */
function hasStarted(run: RunRecord): boolean {
  return (
    run.startedAt !== undefined ||
    run.state === "ACTIVE" ||
    run.attempts.some(
      (a) =>
        a.state === "RUNNING" || a.state === "FINISHED" || (a.exitCode !== undefined && a.exitCode !== null),
    )
  );
}

/**
 * When a run whose last attempt ended has ended: that attempt's end (the node's report), kept
 * between the run's start and now so that a skewed node clock cannot reorder the run's states.
 * A FORBID schedule then sees the run over at the instant it really was, not when noticed.
 */
function endedAt(run: RunRecord, last: RunAttempt, now: number): number {
  const floor = run.startedAt ?? run.createdAt;
  return Math.max(floor, Math.min(now, last.finishedAt ?? now));
}

function fail(out: DecisionBuilder, run: RunRecord, message: string, reason: string): void {
  for (const a of run.attempts) if (isActiveAttempt(a)) out.killTask(a.taskId, reason);
  out.transition(run, "FAILED", message);
}

/** Decides what `run` needs now; `def` is its job in the desired state (undefined: removed). */
export function progressRun(run: RunRecord, def: JobDefinition | undefined, out: DecisionBuilder): void {
  const { now } = out;
  if (isTerminal(run)) {
    // A late or lost kill: an attempt must not outlive its run.
    for (const a of run.attempts)
      if (isActiveAttempt(a)) out.killTask(a.taskId, `run ${run.runId} is ${run.state}`);
    return;
  }
  if (triggerOf(run).kind === "not-run") {
    // Created but its NOT_RUN transition was not recorded (a crash between the two): finish it.
    out.transition(run, "NOT_RUN", run.message ?? "not run: a job it depends on did not succeed");
    return;
  }
  if (!def) {
    fail(out, run, `job ${run.jobId} is no longer in the desired state`, `job ${run.jobId} was removed`);
    return;
  }
  const { run: spec } = def.job;
  const started = hasStarted(run);
  const launchBy = run.createdAt + spec.maxLaunchDelay * 1000;
  const retry = spec.restart.policy === "ON_FAILURE";
  const deadline = spec.restart.activeDeadlineSeconds;
  const deadlineAt = retry && deadline !== undefined ? run.createdAt + deadline * 1000 : undefined;
  const notStarted = `not started within ${spec.maxLaunchDelay}s (maxLaunchDelay)`;

  if (!started && now >= launchBy) {
    fail(out, run, notStarted, notStarted);
    return;
  }
  if (deadlineAt !== undefined && now >= deadlineAt) {
    const last = ordered(run).at(-1)?.attempt;
    const why = last && !isActiveAttempt(last) && !isSuccess(last) ? `${describe(last)}; ` : "";
    fail(out, run, `${why}active deadline of ${deadline}s passed`, `active deadline of ${deadline}s passed`);
    return;
  }
  if (!started) out.wake(launchBy);
  out.wake(deadlineAt);

  const attempts = ordered(run);
  const active = attempts.filter((a) => isActiveAttempt(a.attempt));
  if (active.length > 0) {
    if (active.some((a) => a.attempt.state === "RUNNING")) out.transition(run, "ACTIVE");
    else if (run.state === "INITIAL") out.transition(run, "STARTING");
    return;
  }
  const last = attempts.at(-1);
  if (!last) {
    out.launchAttempt(run, def.job, 1);
    return;
  }
  if (isSuccess(last.attempt)) {
    const message = attempts.length > 1 ? `succeeded on attempt ${attempts.length}` : undefined;
    out.transition(run, "SUCCESS", message, endedAt(run, last.attempt, now));
    return;
  }
  if (!retry) {
    const message = `${describe(last.attempt)}; restart policy NEVER`;
    out.transition(run, "FAILED", message, endedAt(run, last.attempt, now));
    return;
  }
  out.launchAttempt(run, def.job, Math.max(last.n, attempts.length) + 1);
}

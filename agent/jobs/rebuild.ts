/**
 * Run records rebuilt from what agents reported to the gateway (job_runs rows, handed to a new
 * lease holder), which keep a run's id, state and times but not its trigger, creation time or
 * attempts. The trigger comes back from the id; the creation time is estimated from the earliest
 * time known, which is safe: ids derived from triggers keep every trigger to one run even where
 * an estimate makes the engine consider a trigger again.
 */
import { triggerFromRunId } from "./ids.js";
import type { RunAttempt, RunRecord, RunState } from "./types.js";

const STATES: ReadonlySet<string> = new Set<RunState>([
  "INITIAL",
  "STARTING",
  "ACTIVE",
  "SUCCESS",
  "FAILED",
  "NOT_RUN",
]);

/** A job run as the gateway stores it (times in ms). */
export interface ReportedRun {
  runId: string;
  jobId: string;
  state: string;
  message?: string | null;
  startedAt?: number | null;
  finishedAt?: number | null;
  reportedAt: number;
}

/**
 * The run record of a reported run; pass its attempts (the tasks named `<runId>.<n>`) when known.
 *
 * @example const runs = observed.jobRuns.map((row) => runFromReport(row, attemptsOf(row.runId)));
 */
export function runFromReport(row: ReportedRun, attempts: RunAttempt[] = []): RunRecord {
  const times = [row.startedAt, row.finishedAt, row.reportedAt].filter(
    (t): t is number => typeof t === "number",
  );
  return {
    runId: row.runId,
    jobId: row.jobId,
    state: STATES.has(row.state) ? (row.state as RunState) : "INITIAL",
    trigger: triggerFromRunId(row.jobId, row.runId) ?? "",
    createdAt: Math.min(...times),
    ...(row.startedAt != null && { startedAt: row.startedAt }),
    ...(row.finishedAt != null && { finishedAt: row.finishedAt }),
    ...(row.message != null && { message: row.message }),
    attempts,
  };
}

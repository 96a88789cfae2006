/**
 * The agent's jobs engine (Metronome semantics): `evaluateJobs` is the one call the daemon makes
 * per scheduling cycle; the id helpers let it name runs and attempts, and rebuild run records
 * from rows reported to the gateway.
 */
export { evaluateJobs } from "./engine.js";
export {
  afterRunId,
  attemptNumber,
  attemptTaskId,
  cronRunId,
  notRunId,
  parseTrigger,
  requestRunId,
  type Trigger,
  triggerFromRunId,
} from "./ids.js";
export { isActiveAttempt, isSuccess } from "./lifecycle.js";
export { type ReportedRun, runFromReport } from "./rebuild.js";
export type * from "./types.js";

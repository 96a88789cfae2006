/**
 * The contract between the agent daemon and its jobs engine (agent/jobs/engine.ts). The engine
 * is a pure function: the daemon's scheduling agent (the lease holder) calls it every cycle
 * with the jobs of the desired state, what it knows of their runs, the on-demand run requests
 * and the time, and gets back what to start, what to kill and which run states to report.
 * Run ids are derived from their trigger (a cron tick, a request, a parents' success), so
 * deciding the same thing twice — after a restart or a change of lease holder — names the
 * same run, and the gateway's idempotent assignments start it at most once.
 */
import type { Job } from "../../universe/models/job.js";

export type RunState = "INITIAL" | "STARTING" | "ACTIVE" | "SUCCESS" | "FAILED" | "NOT_RUN";

/** A job as the desired state carries it: from the plan of an install. */
export interface JobDefinition {
  installId: string;
  /** The install's app id (service id), for messages. */
  appId: string;
  job: Job;
  /**
   * Optional: epoch ms from which the job counts as present (e.g. when the agent first saw it in
   * a desired state). Cron ticks before it and parents' runs that ended before it trigger
   * nothing, so installing a job neither runs a tick that has just passed nor reacts to old runs
   * of its parents. Absent: every tick within the starting deadline counts.
   */
  since?: number;
}

/** One launch of a run's task; ON_FAILURE runs may have several. */
export interface RunAttempt {
  taskId: string;
  state: "STAGING" | "STARTING" | "RUNNING" | "FINISHED" | "FAILED" | "KILLED" | "ERROR" | "LOST";
  exitCode?: number | null;
  startedAt?: number;
  finishedAt?: number;
}

export interface RunRecord {
  runId: string;
  jobId: string;
  state: RunState;
  /**
   * What started it: `cron:<scheduleId>:<tickMs>`, `request:<requestId>`, `after:<parent runIds>`
   * (comma-separated), or `not-run:<failed runId>` for a pipeline step skipped because of that
   * failure. The run id is derived from it (agent/jobs/ids.ts), and `triggerFromRunId` recovers
   * it from a run id for records rebuilt from reported rows.
   */
  trigger: string;
  createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  message?: string;
  attempts: RunAttempt[];
}

/** An operator's "run now" (`flotilla job run`), carried by the desired state until a run exists. */
export interface RunRequest {
  requestId: string;
  jobId: string;
  requestedAt: number;
}

export interface JobsTick {
  now: number;
  jobs: JobDefinition[];
  runs: RunRecord[];
  requests: RunRequest[];
}

export interface JobsDecision {
  /** New runs (state INITIAL) to record and report. */
  create: RunRecord[];
  /** Attempts to place now (a new run's first, or an ON_FAILURE retry); taskId is the attempt's. */
  launch: { runId: string; jobId: string; taskId: string; job: Job }[];
  /** Tasks to stop, e.g. a run past its activeDeadlineSeconds. */
  kill: { taskId: string; reason: string }[];
  /** Run state changes to record and report (includes NOT_RUN for skipped pipeline steps). */
  transitions: { runId: string; state: RunState; message?: string; at: number }[];
  /**
   * Triggers the engine chose not to act on, and why: a cron tick skipped under FORBID or past
   * its starting deadline, a request for an unknown job, a job whose parents are unknown. Such
   * a skip is reported on every evaluation while it holds: log each `key` once.
   */
  skipped?: SkippedTrigger[];
  /**
   * The earliest time after `now` at which evaluating again decides something new even if no
   * other input changes (the next cron tick, a launch or active deadline); absent when none.
   */
  wakeAt?: number;
}

/** A trigger that started no run (see JobsDecision.skipped). */
export interface SkippedTrigger {
  /** Stable identity of this skip, for logging it once. */
  key: string;
  jobId: string;
  reason: string;
  scheduleId?: string;
  tickAt?: number;
}

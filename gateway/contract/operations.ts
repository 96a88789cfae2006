/**
 * Operator actions on running work and the jobs views, as the API shows them (the CLI's
 * `job list|show|runs|run` and `service scale|restart`). Times are ISO 8601 strings; fields are
 * only ever added.
 *
 * - `POST /v1/clusters/{cluster}/jobs/{jobId}/runs` (operator) → 201 {@link RunRequested}: asks
 *   the cluster's scheduling agent to run the job once; the run is `<jobId>.req-<requestId>`.
 * - `GET /v1/clusters/{cluster}/jobs` (viewer) → {@link JobList}: every job of every install's
 *   current plan, with schedules, dependencies and latest runs.
 * - `GET /v1/clusters/{cluster}/jobs/{jobId}` (viewer) → {@link JobDetail}.
 * - `GET /v1/clusters/{cluster}/jobs/{jobId}/runs?limit=` (viewer) → {@link JobRuns}: newest first,
 *   NOT_RUN pipeline steps included with the reason.
 * - `POST /v1/clusters/{cluster}/services/scale` `{ appId, instances }` (operator) and
 *   `POST /v1/clusters/{cluster}/services/restart` `{ appId }` (operator) → {@link ServiceChange}:
 *   a new revision of the install that runs the app (reason `scale` / `restart`, in its history),
 *   with the app's `instances` changed, or with the label `FLOTILLA_RESTART=<ms>` set, which makes
 *   a new app version and so a rolling restart. `appId` is the app's id in the plan.
 */
import { z } from "zod";
import { JOB_ID } from "../../universe/models/job.js";
import { AppIdSchema } from "./installs.js";

export const JobIdSchema = z.string().max(200).regex(JOB_ID, {
  error: "jobId is a Metronome job id such as etl.extract: lower-case letters, digits and '-', split by '.'",
});

/** The run an operator's request starts: the agent's jobs engine names it the same way. */
export const runIdOfRequest = (jobId: string, requestId: string): string => `${jobId}.req-${requestId}`;

/**
 * How long a run request is carried to the agents without an answer (a cluster without a running
 * agent for a day does not start yesterday's requests when it comes back).
 */
export const RUN_REQUEST_TTL_MS = 24 * 3_600_000;

/** The label whose change restarts an app (a new version, rolled like any upgrade). */
export const RESTART_LABEL = "FLOTILLA_RESTART";

export const RunRequestedSchema = z.object({
  requestId: z.string(),
  jobId: z.string(),
  /** `<jobId>.req-<requestId>`: follow it with `GET …/jobs/{jobId}/runs`. */
  runId: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
  desiredRevision: z.number().int(),
});
export type RunRequested = z.infer<typeof RunRequestedSchema>;

export const ScheduleViewSchema = z.object({
  id: z.string(),
  cron: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  concurrencyPolicy: z.string(),
  startingDeadlineSeconds: z.number(),
  /** The next tick (gateway clock); null when disabled or the expression has none. */
  nextRunAt: z.string().nullable(),
});

export const RunViewSchema = z.object({
  runId: z.string(),
  jobId: z.string(),
  /** INITIAL, STARTING, ACTIVE, SUCCESS, FAILED, NOT_RUN, as the agent reported it. */
  state: z.string(),
  /** Why (e.g. a NOT_RUN step names the parent that failed). */
  message: z.string().nullable(),
  /** What started it, read from its id; null for ids the jobs engine did not make. */
  trigger: z.enum(["schedule", "request", "dependency"]).nullable(),
  /** Who asked, for a run started by a request. */
  requestedBy: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** When the agent last reported on it. */
  reportedAt: z.string(),
});
export type RunView = z.infer<typeof RunViewSchema>;

/** A request no agent has answered with a run yet. */
export const PendingRequestSchema = z.object({
  requestId: z.string(),
  runId: z.string(),
  requestedAt: z.string(),
  requestedBy: z.string(),
});

export const JobSummarySchema = z.object({
  id: z.string(),
  description: z.string().nullable(),
  /** The install whose plan has the job. */
  install: z.object({ id: z.string(), appId: z.string(), package: z.string(), version: z.string() }),
  schedules: z.array(ScheduleViewSchema),
  /** Parent jobs (a pipeline); the job runs after all of them succeeded. */
  dependencies: z.array(z.string()),
  /** Jobs of the cluster that depend on this one. */
  dependents: z.array(z.string()),
  /** Newest first, at most 5. */
  latestRuns: z.array(RunViewSchema),
});
export type JobSummary = z.infer<typeof JobSummarySchema>;

export const JobListSchema = z.object({ jobs: z.array(JobSummarySchema) });

export const JobDetailSchema = JobSummarySchema.extend({
  /** The job as the plan holds it (Metronome JSON with defaults). */
  definition: z.record(z.string(), z.unknown()),
  pendingRequests: z.array(PendingRequestSchema),
});
export type JobDetail = z.infer<typeof JobDetailSchema>;

export const JobRunsQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

export const JobRunsSchema = z.object({
  jobId: z.string(),
  /** Newest first. */
  runs: z.array(RunViewSchema),
  pendingRequests: z.array(PendingRequestSchema),
});
export type JobRuns = z.infer<typeof JobRunsSchema>;

export const MAX_INSTANCES = 10_000;

export const ScaleBody = z.strictObject({
  appId: AppIdSchema,
  instances: z.number().int().min(0).max(MAX_INSTANCES),
});
export type ScaleInput = z.infer<typeof ScaleBody>;

export const RestartBody = z.strictObject({ appId: AppIdSchema });

export const ServiceChangeSchema = z.object({
  /** The app, as its plan names it (absolute). */
  appId: z.string(),
  action: z.enum(["scale", "restart"]),
  /** False when the app already had that many instances: nothing was written. */
  changed: z.boolean(),
  previousInstances: z.number().int(),
  instances: z.number().int(),
  /** For a restart: the FLOTILLA_RESTART label's new value. */
  restartLabel: z.string().nullable(),
  /** The install that runs the app, at its (new) revision. */
  install: z.object({ id: z.string(), appId: z.string(), revision: z.number().int() }),
  desiredRevision: z.number().int(),
});
export type ServiceChange = z.infer<typeof ServiceChangeSchema>;

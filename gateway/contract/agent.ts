/**
 * The wire contract between the gateway and the agent daemon (`/v1/agent/…`). The agent
 * imports these schemas to build its requests and to parse every answer; the gateway parses
 * every request with them. Times in this protocol are integer milliseconds since the epoch
 * (machine to machine; the operator API uses ISO strings). A bad request is a 400
 * `application/problem+json` with `code` and, where precise, `reason`; nothing is written.
 *
 * ## The protocol, in the order an agent speaks it
 *
 * 1. **Register** — `POST /v1/agent/register` `{ joinToken, hostname, inventory? }` → 201
 *    {@link RegisterResponse} `{ agentId, clusterId, credential: "flta_…", settings }`. The join
 *    token (`fltj_…`, from `flotilla cluster token`) is short-lived, cluster-scoped and has a
 *    number of uses; it is never needed again. Keep the credential (it is shown once, stored
 *    hashed) and send it as `Authorization: Bearer flta_…` on every other call. A credential
 *    opens only the agent API of its own cluster; another cluster's routes answer 403. A 401
 *    with reason `JOIN_TOKEN_EXPIRED` | `JOIN_TOKEN_REVOKED` | `JOIN_TOKEN_USED_UP` |
 *    `JOIN_TOKEN_UNKNOWN` means: ask the operator for a new token. A 401 on any later call
 *    means the agent was deleted: stop and re-register. `{clusterId}` in the paths below is
 *    the id from this response (not the cluster's name). `settings` carries the gateway's
 *    timings, and `longPoll` says whether it holds polls open.
 *
 * 2. **Poll the desired state** — `GET /v1/agent/clusters/{clusterId}/desired-state` with
 *    `If-None-Match: "<revision>"` (or `?since=<revision>`) and `?wait=<seconds>` (≤ 30).
 *    `304` (with `ETag: "<revision>"`) = nothing changed; `200` = {@link DesiredState} with
 *    `ETag: "<revision>"`. On Node the gateway holds the request up to `wait` seconds and
 *    answers the moment the revision moves; on Workers it answers at once, so the agent
 *    re-polls on its own schedule (jittered, capped exponential backoff on errors). The
 *    revision only moves forward. Each poll counts as a heartbeat (stored at most every
 *    `settings.heartbeatWriteMs`), so an agent polls at least every `settings.agentStaleMs / 2`.
 *    The document holds every install's current plan, the lease as of that revision, and
 *    the assignments of this agent's node (all of them, plus every agent's inventory, when the
 *    caller holds the lease). Lease changes, assignments, agents joining or leaving and
 *    inventory changes (total resources or attributes) all move the revision. The lease
 *    holder fetches without a condition at least every `settings.agentStaleMs` to see the
 *    other agents' liveness (`lastSeenAt`, `state`), which moves with time, not revisions.
 *
 * 3. **Report status** — `POST /v1/agent/clusters/{clusterId}/status` {@link StatusBatch}
 *    `{ updates: [...], inventory? }` → {@link StatusAck} `{ acknowledged, duplicates }`.
 *    Every update carries an `id` unique per agent (e.g. a ULID): keep updates on disk until
 *    their id is acknowledged, and resend them freely — a resent id changes nothing. Updates
 *    carry the agent's time `at`; an update older than what is stored for the same task, run
 *    or app is ignored, so order of delivery does not matter (equal times: the later entry of
 *    a batch wins). At most 1,000 updates a batch. `inventory` replaces the stored one; its
 *    `free` part never moves the revision (the holder derives free resources from its own
 *    assignments), its `resources` and `attributes` do.
 *
 * 4. **Scheduling lease** — `POST /v1/agent/clusters/{clusterId}/lease` `{ release? }` →
 *    {@link Lease} `{ holder, epoch, expiresAt, ttlMs }`. Granted when free, expired or already
 *    held by the caller; each new holder gets `epoch + 1` (fencing). The holder renews every
 *    `ttlMs / 3` (measure expiry on the agent's own clock from `ttlMs`, not `expiresAt`), and
 *    stops scheduling the moment a renewal answers `holder: false` or cannot be made before
 *    its lease would expire. Every agent of a cluster may ask; one wins. A single-agent
 *    cluster takes the same path. The body is JSON (`{}` to acquire or renew).
 *
 * 5. **Assignments** (holder only) — `POST /v1/agent/clusters/{clusterId}/assignments`
 *    {@link AssignmentsRequest} `{ epoch, launch: [{ taskId, agentId, spec }], kill: [taskId],
 *    forget?: [taskId] }` → {@link AssignmentsResponse}. Accepted only with the current epoch
 *    from the caller's unexpired lease; otherwise `409` reason `STALE_EPOCH` and nothing is
 *    written (renew the lease, fetch a fresh desired state, plan again). Idempotent by task
 *    id: a launch of a known task id is ignored (the first decision wins; a different agent
 *    for it is a 409 `TASK_ASSIGNED`); `kill` marks a task to stop; `forget` drops assignments
 *    of tasks that have ended. A launch to an agent not of this cluster is a 400
 *    `UNKNOWN_AGENT`. Accepted changes move the revision, so every agent sees its own
 *    assignments on its next poll.
 */
import { z } from "zod";
import { SecretPathSchema } from "./secrets.js";

/** Task states (see SCHEDULING.md): the last three are for tasks on nodes that stopped answering. */
export const TaskStateSchema = z.enum([
  "STAGING",
  "STARTING",
  "RUNNING",
  "KILLING",
  "FINISHED",
  "FAILED",
  "KILLED",
  "ERROR",
  "LOST",
  "UNREACHABLE",
  "GONE",
]);
/** Job run states; `NOT_RUN` marks a pipeline step skipped because a parent failed. */
export const JobRunStateSchema = z.enum(["INITIAL", "STARTING", "ACTIVE", "SUCCESS", "FAILED", "NOT_RUN"]);

const Millis = z.number().int().min(0);
const Id = z.string().min(1).max(200);

/** A node's resources (Mesos model): cpus, mem and disk in MB, port ranges `[from, to]`. */
export const ResourcesSchema = z.strictObject({
  cpus: z.number().min(0),
  mem: z.number().min(0),
  disk: z.number().min(0),
  gpus: z.number().int().min(0).optional(),
  ports: z
    .array(
      z
        .tuple([z.number().int().min(1).max(65_535), z.number().int().min(1).max(65_535)])
        .refine(([from, to]) => from <= to, { error: "a port range is [from, to] with from ≤ to" }),
    )
    .max(64)
    .default([]),
});

/** What an agent reports about its node. `free` changes often and does not move the revision. */
export const InventorySchema = z.strictObject({
  resources: ResourcesSchema,
  free: ResourcesSchema.optional(),
  /** Operator-set attributes used by constraints (`zone`, `rack`, …); `hostname` is implied. */
  attributes: z.record(z.string().min(1).max(63), z.union([z.string().max(253), z.number()])).default({}),
  /** e.g. "docker" or "process"; informative. */
  runtime: z.string().max(63).optional(),
  agentVersion: z.string().max(63).optional(),
});
export type Inventory = z.infer<typeof InventorySchema>;

export const RegisterRequest = z.strictObject({
  joinToken: z.string().regex(/^fltj_[A-Za-z0-9]{20,100}$/, { error: "must be a join token (fltj_…)" }),
  hostname: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/, { error: "must be a host name" }),
  inventory: InventorySchema.optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

/** Timings the agent should follow, so that they are configured in one place (the gateway). */
export const AgentSettingsSchema = z.object({
  heartbeatWriteMs: z.number(),
  agentStaleMs: z.number(),
  leaseMs: z.number(),
  maxWaitSeconds: z.number(),
  /** Whether this gateway holds polls open (Node); when false, `wait` is ignored. */
  longPoll: z.boolean(),
});

export const RegisterResponse = z.object({
  agentId: z.string(),
  clusterId: z.string(),
  clusterName: z.string(),
  /** `flta_…`, shown once. */
  credential: z.string(),
  settings: AgentSettingsSchema,
});
export type RegisterResponse = z.infer<typeof RegisterResponse>;

export const DesiredStateQuery = z.object({
  since: z.coerce.number().int().min(0).optional(),
  wait: z.coerce.number().int().min(0).max(30).optional(),
});

export const DesiredInstallSchema = z.object({
  installId: z.string(),
  appId: z.string(),
  packageName: z.string(),
  packageVersion: z.string(),
  /** The install's own revision (its history), not the cluster's desired-state revision. */
  revision: z.number(),
  plan: z.record(z.string(), z.unknown()),
});

export const LeaseViewSchema = z.object({
  holder: z.boolean(),
  epoch: z.number(),
  expiresAt: z.number().nullable(),
});

export const AgentInventorySchema = z.object({
  agentId: z.string(),
  hostname: z.string(),
  inventory: z.record(z.string(), z.unknown()).nullable(),
  lastSeenAt: z.number().nullable(),
  state: z.enum(["healthy", "stale", "lost"]),
});

export const AssignmentSchema = z.object({
  taskId: z.string(),
  agentId: z.string(),
  spec: z.record(z.string(), z.unknown()),
  /** True once the scheduler decided the task must stop. */
  kill: z.boolean(),
  epoch: z.number(),
});

/** One pending run request (`POST /v1/clusters/{cluster}/jobs/{jobId}/runs`). */
export const RunRequestSchema = z.object({
  requestId: z.string(),
  jobId: z.string(),
  requestedAt: z.number(),
});

export const DesiredStateSchema = z.object({
  revision: z.number(),
  clusterId: z.string(),
  agentId: z.string(),
  generatedAt: z.number(),
  installs: z.array(DesiredInstallSchema),
  lease: LeaseViewSchema,
  /** Every agent of the cluster with its inventory; empty unless the caller holds the lease. */
  agents: z.array(AgentInventorySchema),
  /** This agent's assignments; every agent's when the caller holds the lease. */
  assignments: z.array(AssignmentSchema),
  /**
   * Operators' "run now" requests not yet answered by a reported run `<jobId>.req-<requestId>`
   * (and at most a day old): the holder's jobs engine starts one run per request. Empty unless
   * the caller holds the lease.
   */
  runRequests: z.array(RunRequestSchema).optional(),
});
export type DesiredState = z.infer<typeof DesiredStateSchema>;

const UpdateBase = { id: Id, at: Millis };

export const TaskUpdateSchema = z.strictObject({
  ...UpdateBase,
  kind: z.literal("task"),
  taskId: Id,
  appId: Id,
  state: TaskStateSchema,
  healthy: z.boolean().nullable().optional(),
  ports: z.array(z.number().int().min(0).max(65_535)).max(100).default([]),
  version: z.string().max(200).optional(),
  message: z.string().max(2_000).optional(),
});

export const JobRunUpdateSchema = z.strictObject({
  ...UpdateBase,
  kind: z.literal("job-run"),
  runId: Id,
  jobId: Id,
  state: JobRunStateSchema,
  message: z.string().max(2_000).optional(),
  startedAt: Millis.optional(),
  finishedAt: Millis.optional(),
});

export const DeploymentUpdateSchema = z.strictObject({
  ...UpdateBase,
  kind: z.literal("deployment"),
  appId: Id,
  /** Why the deployment cannot proceed, e.g. "waiting for offers: no node has 2048 MB free"; null when it is not waiting. */
  waitingReason: z.string().max(2_000).nullable(),
  step: z.string().max(200).optional(),
});

export const StatusUpdateSchema = z.discriminatedUnion("kind", [
  TaskUpdateSchema,
  JobRunUpdateSchema,
  DeploymentUpdateSchema,
]);
export type StatusUpdate = z.infer<typeof StatusUpdateSchema>;

export const MAX_STATUS_UPDATES = 1_000;

export const StatusBatch = z.strictObject({
  updates: z.array(StatusUpdateSchema).max(MAX_STATUS_UPDATES),
  inventory: InventorySchema.optional(),
});
export type StatusBatch = z.infer<typeof StatusBatch>;

export const StatusAck = z.object({
  /** Every id of the batch: stored now or earlier. Drop them from the outbox. */
  acknowledged: z.array(z.string()),
  /** The ids that had been received before (a resend); they changed nothing. */
  duplicates: z.array(z.string()),
});
export type StatusAck = z.infer<typeof StatusAck>;

export const LeaseRequest = z.strictObject({
  /** Give the lease up (e.g. on a graceful stop), so another agent can take it at once. */
  release: z.boolean().optional(),
});

export const LeaseSchema = z.object({
  holder: z.boolean(),
  /** The fencing epoch: the caller's when holder, otherwise the current holder's. */
  epoch: z.number(),
  /** Gateway clock; null when nobody holds the lease. */
  expiresAt: z.number().nullable(),
  /** The lease's lifetime from now; renew every ttlMs / 3. */
  ttlMs: z.number(),
});
export type Lease = z.infer<typeof LeaseSchema>;

export const MAX_ASSIGNMENT_ITEMS = 1_000;

export const AssignmentsRequest = z.strictObject({
  epoch: z.number().int().min(1),
  launch: z
    .array(z.strictObject({ taskId: Id, agentId: Id, spec: z.record(z.string(), z.unknown()) }))
    .max(MAX_ASSIGNMENT_ITEMS)
    .default([]),
  kill: z.array(Id).max(MAX_ASSIGNMENT_ITEMS).default([]),
  forget: z.array(Id).max(MAX_ASSIGNMENT_ITEMS).default([]),
});
export type AssignmentsRequest = z.infer<typeof AssignmentsRequest>;

export const AssignmentsResponse = z.object({
  /** The desired-state revision after the change (unchanged when nothing needed doing). */
  revision: z.number(),
  launched: z.array(z.string()),
  killed: z.array(z.string()),
  forgotten: z.array(z.string()),
  /** Task ids that needed nothing: already launched, already killed, or unknown. */
  ignored: z.array(z.string()),
});
export type AssignmentsResponse = z.infer<typeof AssignmentsResponse>;

/** A task row as its agent last reported it; the views below add their own times. */
const TaskRowSchema = z.object({
  taskId: z.string(),
  appId: z.string(),
  agentId: z.string(),
  /** As reported (a TaskState; older rows may carry another spelling). */
  state: z.string(),
  healthy: z.boolean().nullable(),
  ports: z.array(z.number()),
  version: z.string().nullable(),
  message: z.string().nullable(),
});

/** A task as its agent last reported it (operator view: `GET …/agents/{agent}/tasks`). */
export const ReportedTaskSchema = TaskRowSchema.extend({
  reportedAt: z.string(),
  updatedAt: z.string(),
});

/**
 * 6. **Observed state** (holder only) — `GET /v1/agent/clusters/{clusterId}/observed` →
 *    {@link Observed}: every task row of the cluster as its agent last reported it (terminal
 *    ones included), every job run, and every agent's liveness as of now. The lease holder
 *    plans from it (rolling upgrades count healthy tasks of every node). A caller that does
 *    not hold a live lease gets `409` reason `NOT_LEASE_HOLDER`.
 */
export const ObservedTaskSchema = TaskRowSchema.extend({
  /** The agent's time of the update (ms). */
  reportedAt: z.number(),
});

export const ObservedJobRunSchema = z.object({
  runId: z.string(),
  jobId: z.string(),
  state: z.string(),
  message: z.string().nullable(),
  startedAt: z.number().nullable(),
  finishedAt: z.number().nullable(),
  reportedAt: z.number(),
});

export const AgentLivenessSchema = z.object({
  agentId: z.string(),
  hostname: z.string(),
  lastSeenAt: z.number().nullable(),
  state: z.enum(["healthy", "stale", "lost"]),
});

export const ObservedSchema = z.object({
  tasks: z.array(ObservedTaskSchema),
  jobRuns: z.array(ObservedJobRunSchema),
  agents: z.array(AgentLivenessSchema),
});
export type Observed = z.infer<typeof ObservedSchema>;

/**
 * 7. **Secrets** — `POST /v1/agent/clusters/{clusterId}/secrets` {@link ResolveSecretsRequest}
 *    `{ paths: ["db/password"] }` → {@link ResolveSecretsResponse} `{ values: { "db/password":
 *    "…" } }`, fetched when a task whose env refers to secrets is about to launch. A path is
 *    answered only when an assignment of the calling agent (not marked to be killed) declares
 *    it as a source in its spec's `secrets` (`{ name: { source: path } }`; a leading `/` is
 *    dropped); any other path is a 403 reason `SECRET_NOT_REFERENCED` naming it, whether or not
 *    it exists. A referenced path with no value in the store is a 404 reason
 *    `SECRET_NOT_FOUND`. A gateway without a secrets key answers 503 reason
 *    `SECRETS_NOT_CONFIGURED`. Pass the values to the task's environment only: do not log,
 *    report or store them.
 */
export const MAX_RESOLVE_PATHS = 100;

export const ResolveSecretsRequest = z.strictObject({
  paths: z.array(SecretPathSchema).min(1).max(MAX_RESOLVE_PATHS),
});
export type ResolveSecretsRequest = z.infer<typeof ResolveSecretsRequest>;

export const ResolveSecretsResponse = z.object({ values: z.record(z.string(), z.string()) });
export type ResolveSecretsResponse = z.infer<typeof ResolveSecretsResponse>;

/**
 * The gateway's one database schema (SQLite dialect: D1 on Workers, libSQL on Node).
 * Times are integer milliseconds since the epoch; JSON columns hold parsed-at-the-edge data.
 * Rows that several writers may change carry a `revision` for optimistic concurrency.
 */

import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const json = <T>(name: string) => text(name, { mode: "json" }).$type<T>();
const createdAt = () => integer("created_at").notNull();

/** API tokens of operators and scripts. Only the SHA-256 of the secret is stored. */
export const apiTokens = sqliteTable("api_tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  secretHash: text("secret_hash").notNull().unique(),
  role: text("role", { enum: ["admin", "operator", "viewer"] }).notNull(),
  /** Cluster ids the token is limited to; null means every cluster. */
  clusters: json<string[] | null>("clusters"),
  createdAt: createdAt(),
  createdBy: text("created_by").notNull(),
  revokedAt: integer("revoked_at"),
});

/** Package repositories, in priority order (0 first), as Cosmos kept them. */
export const repositories = sqliteTable("repositories", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  uri: text("uri"),
  kind: text("kind", { enum: ["universe-index", "universe-tree", "bundles"] }).notNull(),
  priority: integer("priority").notNull(),
  createdAt: createdAt(),
  importedAt: integer("imported_at"),
});

/** One row per package revision of a repository; `entry` is its Universe index form. */
export const packageRevisions = sqliteTable(
  "package_revisions",
  {
    id: text("id").primaryKey(),
    repositoryId: text("repository_id")
      .notNull()
      .references(() => repositories.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    version: text("version").notNull(),
    releaseVersion: integer("release_version").notNull(),
    /** sha256 of the bundle it was published from; null for imported Universe revisions. */
    digest: text("digest"),
    entry: json<Record<string, unknown>>("entry").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("package_revisions_repo_name_release").on(t.repositoryId, t.name, t.releaseVersion),
    index("package_revisions_name").on(t.name),
  ],
);

/** Bundle archives, stored in chunks so that no row exceeds D1's value size limit. */
export const bundleChunks = sqliteTable(
  "bundle_chunks",
  {
    digest: text("digest").notNull(),
    seq: integer("seq").notNull(),
    data: blob("data", { mode: "buffer" }).$type<Uint8Array>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.digest, t.seq] })],
);

export const clusters = sqliteTable("clusters", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  labels: json<Record<string, string>>("labels").notNull(),
  /** Desired-state revision: moves forward on every change of what the cluster should run. */
  desiredRevision: integer("desired_revision").notNull().default(1),
  /** Scheduling lease: which agent schedules, until when, and the fencing epoch. */
  leaseAgentId: text("lease_agent_id"),
  leaseEpoch: integer("lease_epoch").notNull().default(0),
  leaseExpiresAt: integer("lease_expires_at"),
  createdAt: createdAt(),
});

export const joinTokens = sqliteTable(
  "join_tokens",
  {
    id: text("id").primaryKey(),
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    secretHash: text("secret_hash").notNull().unique(),
    expiresAt: integer("expires_at").notNull(),
    maxUses: integer("max_uses").notNull(),
    uses: integer("uses").notNull().default(0),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [index("join_tokens_cluster").on(t.clusterId)],
);

export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    hostname: text("hostname").notNull(),
    secretHash: text("secret_hash").notNull().unique(),
    /** Last inventory the agent reported: total and free resources, attributes, port ranges. */
    inventory: json<Record<string, unknown> | null>("inventory"),
    lastSeenAt: integer("last_seen_at"),
    createdAt: createdAt(),
  },
  (t) => [index("agents_cluster").on(t.clusterId)],
);

/** A package installed on a cluster under a service id (`appId`). */
export const installs = sqliteTable(
  "installs",
  {
    id: text("id").primaryKey(),
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    appId: text("app_id").notNull(),
    packageName: text("package_name").notNull(),
    /** The install revision now in force (install_revisions.revision). */
    currentRevision: integer("current_revision").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("installs_cluster_app").on(t.clusterId, t.appId)],
);

/** Every state an install has had: what was asked, what was resolved, what was rendered. */
export const installRevisions = sqliteTable(
  "install_revisions",
  {
    installId: text("install_id")
      .notNull()
      .references(() => installs.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    packageVersion: text("package_version").notNull(),
    releaseVersion: integer("release_version").notNull(),
    packageRevisionId: text("package_revision_id").notNull(),
    userOptions: json<Record<string, unknown>>("user_options").notNull(),
    resolvedOptions: json<Record<string, unknown>>("resolved_options").notNull(),
    plan: json<Record<string, unknown>>("plan").notNull(),
    /** scale and restart: an operator changed one app's instances, or restarted it (services API). */
    reason: text("reason", { enum: ["install", "update", "rollback", "scale", "restart"] }).notNull(),
    /** Ids of the installs on the cluster this revision relies on (its package's dependencies). */
    dependsOn: json<string[]>("depends_on").notNull().default([]),
    /** For a rollback: the revision whose version, options and plan it restored. */
    restoredRevision: integer("restored_revision"),
    createdAt: createdAt(),
    createdBy: text("created_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.installId, t.revision] })],
);

/** Who did what, when. Append-only. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    details: json<Record<string, unknown>>("details").notNull(),
  },
  (t) => [index("audit_log_at").on(t.at)],
);

/** Latest known state of each task, from agents' status updates. */
export const tasks = sqliteTable(
  "tasks",
  {
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    taskId: text("task_id").notNull(),
    appId: text("app_id").notNull(),
    agentId: text("agent_id").notNull(),
    state: text("state").notNull(),
    healthy: integer("healthy", { mode: "boolean" }),
    ports: json<number[]>("ports").notNull(),
    version: text("version"),
    message: text("message"),
    /** The agent's own timestamp of the update, so a late retry never overwrites newer state. */
    reportedAt: integer("reported_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clusterId, t.taskId] }),
    index("tasks_cluster_app").on(t.clusterId, t.appId),
  ],
);

/** Job runs as reported by agents. */
export const jobRuns = sqliteTable(
  "job_runs",
  {
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    runId: text("run_id").notNull(),
    jobId: text("job_id").notNull(),
    state: text("state").notNull(),
    message: text("message"),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
    reportedAt: integer("reported_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clusterId, t.runId] }),
    index("job_runs_cluster_job").on(t.clusterId, t.jobId),
  ],
);

/**
 * Operators' "run this job now" requests. The desired state carries each to the cluster's agents
 * until a run named `<jobId>.req-<requestId>` is reported (job_runs), so a request starts one run.
 */
export const runRequests = sqliteTable(
  "run_requests",
  {
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    requestId: text("request_id").notNull(),
    jobId: text("job_id").notNull(),
    requestedAt: integer("requested_at").notNull(),
    requestedBy: text("requested_by").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.clusterId, t.requestId] }),
    index("run_requests_cluster_job").on(t.clusterId, t.jobId),
  ],
);

/** Why a deployment of an app is waiting, as the scheduling agent last explained it. */
export const deploymentStatus = sqliteTable(
  "deployment_status",
  {
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    appId: text("app_id").notNull(),
    waitingReason: text("waiting_reason"),
    step: text("step"),
    reportedAt: integer("reported_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.appId] })],
);

/** Ids of status updates already stored, so that a resent update changes nothing. */
export const statusReceipts = sqliteTable(
  "status_receipts",
  {
    agentId: text("agent_id").notNull(),
    updateId: text("update_id").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.agentId, t.updateId] }),
    index("status_receipts_received").on(t.receivedAt),
  ],
);

/** Task placements decided by the scheduling agent; idempotent by task id, fenced by epoch. */
export const assignments = sqliteTable(
  "assignments",
  {
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    taskId: text("task_id").notNull(),
    agentId: text("agent_id").notNull(),
    spec: json<Record<string, unknown>>("spec").notNull(),
    /** Set when the scheduler decided the task must stop. */
    killRequestedAt: integer("kill_requested_at"),
    epoch: integer("epoch").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.clusterId, t.taskId] }),
    index("assignments_agent").on(t.clusterId, t.agentId),
  ],
);

/**
 * The cluster secret store: values encrypted with AES-256-GCM (gateway/lib/secret-box.ts),
 * bound to cluster id and path. Never returned to a user; agents fetch the values their
 * assignments reference.
 */
export const secrets = sqliteTable(
  "secrets",
  {
    clusterId: text("cluster_id")
      .notNull()
      .references(() => clusters.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    ciphertext: blob("ciphertext", { mode: "buffer" }).$type<Uint8Array>().notNull(),
    iv: blob("iv", { mode: "buffer" }).$type<Uint8Array>().notNull(),
    /** Id (a hash) of the key that sealed the value. */
    keyId: text("key_id").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
    updatedBy: text("updated_by").notNull(),
  },
  (t) => [primaryKey({ columns: [t.clusterId, t.path] })],
);

/** Small counters of the gateway itself, e.g. the catalog version that invalidates caches. */
export const gatewayState = sqliteTable("gateway_state", {
  key: text("key").primaryKey(),
  value: integer("value").notNull(),
});

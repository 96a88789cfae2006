/**
 * Installs on a cluster, their history, the status views and the audit log, as the API shows
 * them. The CLI reads these shapes (`service list|show|tasks`, `--wait` progress), so fields
 * are only ever added. Times are ISO 8601 strings.
 */
import { z } from "zod";
import { PACKAGE_NAME } from "../../universe/models/package.js";

/** A Marathon app id: `/`-separated segments of lower-case letters, digits, `-` and `.`. */
export const APP_ID = /^\/?[a-z0-9]([a-z0-9.-]*[a-z0-9])?(\/[a-z0-9]([a-z0-9.-]*[a-z0-9])?)*$/;
export const AppIdSchema = z.string().max(200).regex(APP_ID, {
  error: "appId is a Marathon path such as /team/web: lower-case letters, digits, '-' and '.', split by '/'",
});
const PackageNameSchema = z.string().max(128).regex(PACKAGE_NAME, {
  error: "package must be a package name: lower-case letters, digits and hyphens (e.g. my-service)",
});
const VersionRequestSchema = z.string().trim().min(1).max(128);
/** Package options: a JSON object checked against the package's config.json. */
export const OptionsSchema = z.record(z.string(), z.unknown());

export const InstallBody = z.strictObject({
  package: PackageNameSchema,
  /** An exact version string or a semver range; omitted means the latest stable version. */
  version: VersionRequestSchema.optional(),
  options: OptionsSchema.optional(),
  /** The service id on the cluster; defaults to the rendered app id or the package name. */
  appId: AppIdSchema.optional(),
});
export type InstallInput = z.infer<typeof InstallBody>;

export const UpdateInstallBody = z
  .strictObject({
    version: VersionRequestSchema.optional(),
    options: OptionsSchema.optional(),
    /** Replace the previous user options instead of merging over them (Cosmos's `replace`). */
    replace: z.boolean().default(false),
  })
  .refine((b) => b.version !== undefined || b.options !== undefined || b.replace, {
    error: "nothing to update: give a version, options, or replace: true (to reset options to defaults)",
  });
export type UpdateInstallInput = z.infer<typeof UpdateInstallBody>;

export const RollbackBody = z.strictObject({ toRevision: z.number().int().min(1) });

export const InstallOptionsSchema = z.object({
  /** What the user asked for; replayed on updates. */
  user: OptionsSchema,
  /** The package's defaults with the user's options merged over them; what was rendered. */
  resolved: OptionsSchema,
});

/** The install plan as stored (see universe/models/plan.ts). */
export const PlanSchema = z.looseObject({
  package: z.object({ name: z.string(), version: z.string(), releaseVersion: z.number() }),
  apps: z.array(z.record(z.string(), z.unknown())),
  jobs: z.array(z.record(z.string(), z.unknown())),
  warnings: z.array(z.string()),
});

/** scale / restart: written by `POST …/services/scale|restart` (gateway/contract/operations.ts). */
export const RevisionReasonSchema = z.enum(["install", "update", "rollback", "scale", "restart"]);

export const RevisionSummarySchema = z.object({
  revision: z.number().int(),
  reason: RevisionReasonSchema,
  version: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  /** For a rollback: the revision it restored. */
  restoredRevision: z.number().int().nullable(),
});

export const InstallSummarySchema = z.object({
  id: z.string(),
  clusterId: z.string(),
  appId: z.string(),
  package: z.string(),
  version: z.string(),
  releaseVersion: z.number().int(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type InstallSummary = z.infer<typeof InstallSummarySchema>;

export const InstallDetailSchema = InstallSummarySchema.extend({
  options: InstallOptionsSchema,
  plan: PlanSchema,
  /** App ids of the installs this one relies on, and of those that rely on it. */
  dependsOn: z.array(z.string()),
  requiredBy: z.array(z.string()),
  history: z.array(RevisionSummarySchema),
  postInstallNotes: z.string().nullable(),
});
export type InstallDetail = z.infer<typeof InstallDetailSchema>;

export const DependencyOutcomeSchema = z.object({
  package: z.string(),
  version: z.string(),
  appId: z.string(),
  /** `reused`: an install already on the cluster satisfied the range. */
  action: z.enum(["installed", "reused"]),
});

/** The answer to a change: the install as it now is and the cluster's new desired revision. */
export const InstallChangeSchema = InstallDetailSchema.extend({ desiredRevision: z.number().int() });
export type InstallChange = z.infer<typeof InstallChangeSchema>;
export const InstallResultSchema = InstallChangeSchema.extend({
  /** Dependencies in install order (each before its dependents). */
  dependencies: z.array(DependencyOutcomeSchema),
});
export type InstallResult = z.infer<typeof InstallResultSchema>;

export const HistoryEntrySchema = RevisionSummarySchema.extend({
  releaseVersion: z.number().int(),
  userOptions: OptionsSchema,
  current: z.boolean(),
});
export const HistorySchema = z.object({
  appId: z.string(),
  currentRevision: z.number().int(),
  /** Oldest first. */
  revisions: z.array(HistoryEntrySchema),
});

export const UninstallResultSchema = z.object({
  appId: z.string(),
  package: z.string(),
  version: z.string(),
  desiredRevision: z.number().int(),
  postUninstallNotes: z.string().nullable(),
});

// ——— status views ———

export const TaskStatusSchema = z.object({
  taskId: z.string(),
  /** As the agent reported it: STAGING, STARTING, RUNNING, KILLING, FINISHED, FAILED, … */
  state: z.string(),
  healthy: z.boolean().nullable(),
  agentId: z.string(),
  /** The hostname of the agent's node, when the agent is known. */
  node: z.string().nullable(),
  ports: z.array(z.number()),
  version: z.string().nullable(),
  message: z.string().nullable(),
  updatedAt: z.string(),
});

export const AppStatusSchema = z.object({
  id: z.string(),
  instances: z.object({
    desired: z.number().int(),
    /** STAGING or STARTING. */
    staged: z.number().int(),
    running: z.number().int(),
    /** Running and passing health checks (running counts as healthy for an app without checks). */
    healthy: z.number().int(),
  }),
  converged: z.boolean(),
  /** Why the deployment is waiting, as the scheduling agent last explained it. */
  deployment: z
    .object({ waitingReason: z.string().nullable(), step: z.string().nullable(), reportedAt: z.string() })
    .nullable(),
  tasks: z.array(TaskStatusSchema),
});

export const JobRunStatusSchema = z.object({
  runId: z.string(),
  /** INITIAL, STARTING, ACTIVE, SUCCESS, FAILED. */
  state: z.string(),
  message: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

export const JobStatusSchema = z.object({
  id: z.string(),
  schedules: z.number().int(),
  /** Newest first, at most 10. */
  runs: z.array(JobRunStatusSchema),
});

export const InstallStatusSchema = z.object({
  appId: z.string(),
  package: z.string(),
  version: z.string(),
  revision: z.number().int(),
  /** Every app has its desired instances running and healthy. */
  converged: z.boolean(),
  apps: z.array(AppStatusSchema),
  jobs: z.array(JobStatusSchema),
});
export type InstallStatus = z.infer<typeof InstallStatusSchema>;

export const ClusterStatusSchema = z.object({
  cluster: z.object({ id: z.string(), name: z.string() }),
  desiredRevision: z.number().int(),
  converged: z.boolean(),
  installs: z.array(InstallStatusSchema),
});
export type ClusterStatus = z.infer<typeof ClusterStatusSchema>;

// ——— audit log ———

export const AuditQuery = z.object({
  /** A cluster id or name: entries about that cluster only. */
  cluster: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `next` cursor of a previous page, or a time (ISO 8601): only older entries. */
  before: z.string().min(1).max(100).optional(),
});

export const AuditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export const AuditPageSchema = z.object({
  /** Newest first. */
  entries: z.array(AuditEntrySchema),
  /** Pass as `before` for the next page; null on the last page. */
  next: z.string().nullable(),
});

/**
 * The spec of an assignment: what the lease holder writes for each task it places, and what
 * the agent that runs it reads back — app or job, version, command or image, environment,
 * host ports, resources, health checks, kill grace. The holder builds it from the app or job
 * of the plan; the executor parses it (it crossed the gateway) and turns it into the
 * runtime's TaskLaunchSpec. Package labels that carry whole package definitions are left out:
 * specs are stored with every assignment and sent to every agent.
 */
import { z } from "zod";
import { type App, appPortDefinitions, HealthCheckSchema } from "../../universe/models/app.js";
import type { Job } from "../../universe/models/job.js";
import { EnvValueSchema, SecretsDeclSchema, secretPathOf } from "../../universe/models/secrets.js";
import type { TaskLaunchSpec } from "../runtime/types.js";

export const TaskSpecSchema = z.object({
  kind: z.enum(["service", "job"]),
  /** Services: the app id and the version id of its configuration (appVersionId). */
  appId: z.string().optional(),
  version: z.string().optional(),
  installId: z.string().optional(),
  /** Jobs: the job and the run this attempt belongs to. */
  jobId: z.string().optional(),
  runId: z.string().optional(),
  cmd: z.string().optional(),
  args: z.array(z.string()).optional(),
  image: z.string().optional(),
  env: z.record(z.string(), EnvValueSchema).default({}),
  /** Secret names of `env` values `{ secret: name }` → where the agent fetches them (never values). */
  secrets: SecretsDeclSchema.optional(),
  ports: z
    .array(
      z.object({
        port: z.number().int().min(1).max(65_535),
        name: z.string().optional(),
        protocol: z.string().optional(),
      }),
    )
    .default([]),
  resources: z.object({
    cpus: z.number().min(0),
    mem: z.number().min(0),
    disk: z.number().min(0).default(0),
    gpus: z.number().int().min(0).default(0),
  }),
  healthChecks: z.array(HealthCheckSchema).default([]),
  killGracePeriodMs: z.number().int().min(0).default(3_000),
  labels: z.record(z.string(), z.string()).default({}),
  /** The app's instance count when placed (the health-kill limiter sizes its allowance by it). */
  instances: z.number().int().min(0).optional(),
  /** The holder's clock when it placed the task (the planner's `startedAt` until the task reports). */
  launchedAt: z.number(),
});
export type TaskSpec = z.output<typeof TaskSpecSchema>;

/** Labels too big (or too private) to copy onto every task. */
const DROPPED_LABELS = new Set(["DCOS_PACKAGE_DEFINITION", "DCOS_PACKAGE_OPTIONS"]);
const DEFAULT_KILL_GRACE_S = 3;

const taskLabels = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).filter(([k]) => !DROPPED_LABELS.has(k)));

export interface Placement {
  ports: readonly number[];
  resources: { cpus: number; mem: number; disk: number; gpus: number };
  now: number;
}

/** The spec of one instance of `app` at `version`, placed with these ports and resources. */
export function serviceTaskSpec(app: App, version: string, installId: string, placed: Placement): TaskSpec {
  const mappings = app.container?.docker?.portMappings ?? app.container?.portMappings;
  const names =
    mappings && mappings.length > 0
      ? mappings.map((m) => ({
          name: m.name as string | undefined,
          protocol: m.protocol as string | undefined,
        }))
      : appPortDefinitions(app).map((d) => ({ name: d.name, protocol: d.protocol }));
  return {
    kind: "service",
    appId: app.id,
    version,
    installId,
    ...(app.cmd ? { cmd: app.cmd } : {}),
    ...(app.args?.length ? { args: app.args } : {}),
    ...(app.container?.docker?.image ? { image: app.container.docker.image } : {}),
    env: app.env,
    ...(app.secrets && { secrets: app.secrets }),
    ports: placed.ports.map((port, i) => ({
      port,
      ...(typeof names[i]?.name === "string" && { name: names[i].name }),
      ...(typeof names[i]?.protocol === "string" && { protocol: names[i].protocol }),
    })),
    resources: placed.resources,
    healthChecks: app.healthChecks,
    killGracePeriodMs: Math.round((app.taskKillGracePeriodSeconds ?? DEFAULT_KILL_GRACE_S) * 1000),
    labels: taskLabels(app.labels),
    instances: app.instances,
    launchedAt: placed.now,
  };
}

/** The spec of one attempt of a job run. */
export function jobTaskSpec(job: Job, runId: string, installId: string, placed: Placement): TaskSpec {
  const run = job.run;
  return {
    kind: "job",
    jobId: job.id,
    runId,
    installId,
    ...(run.cmd ? { cmd: run.cmd } : {}),
    ...(run.args?.length ? { args: run.args } : {}),
    ...(run.docker?.image ? { image: run.docker.image } : {}),
    env: run.env,
    ...(run.secrets && { secrets: run.secrets }),
    ports: [],
    resources: placed.resources,
    healthChecks: [],
    killGracePeriodMs: Math.round((run.taskKillGracePeriodSeconds ?? DEFAULT_KILL_GRACE_S) * 1000),
    labels: taskLabels(job.labels),
    launchedAt: placed.now,
  };
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Parses a spec that came through the gateway. */
export function parseTaskSpec(raw: unknown): Parsed<TaskSpec> {
  const parsed = TaskSpecSchema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(spec)"}: ${i.message}`);
  return { ok: false, message: `the task's spec is invalid: ${issues.join("; ")}` };
}

/** The id a status update names the task's owner by: the app id, or the job id for job tasks. */
export const ownerIdOf = (spec: TaskSpec): string => spec.appId ?? spec.jobId ?? "unknown";

/**
 * The secrets the task's env needs: variable → path in the cluster's store. Fails, naming the
 * variable, when an env value names a secret that the spec's `secrets` does not declare (the
 * gateway refuses such plans when they are rendered; older plans may still carry one) or a
 * declared source that is not a secret path.
 */
export function secretRefs(spec: TaskSpec): Parsed<Map<string, string>> {
  const refs = new Map<string, string>();
  for (const [variable, value] of Object.entries(spec.env)) {
    if (typeof value === "string") continue;
    const decl =
      spec.secrets && Object.hasOwn(spec.secrets, value.secret) ? spec.secrets[value.secret] : undefined;
    if (!decl)
      return {
        ok: false,
        message: `env ${variable} refers to secret "${value.secret}", which the app's (or job run's) secrets do not declare; add "${value.secret}": {"source": "<path>"} to its secrets`,
      };
    const path = secretPathOf(decl.source);
    if (path === undefined)
      return {
        ok: false,
        message: `secret "${value.secret}" (env ${variable}) has the source ${JSON.stringify(decl.source)}, which is not a secret path like db/password`,
      };
    refs.set(variable, path);
  }
  return { ok: true, value: refs };
}

/**
 * What the runtime is asked to run, with each env value that refers to a secret replaced by
 * the secret's value: `values` is path → value as the gateway answered for `refs`.
 */
export function toLaunchSpec(
  taskId: string,
  spec: TaskSpec,
  refs: ReadonlyMap<string, string> = new Map(),
  values: Readonly<Record<string, string>> = {},
): Parsed<TaskLaunchSpec> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.env)) {
    if (typeof v === "string") {
      env[k] = v;
      continue;
    }
    const path = refs.get(k);
    const value = path === undefined || !Object.hasOwn(values, path) ? undefined : values[path];
    if (value === undefined)
      return { ok: false, message: `env ${k}: the value of secret "${v.secret}" was not fetched` };
    env[k] = value;
  }
  return {
    ok: true,
    value: {
      taskId,
      kind: spec.kind,
      ...(spec.appId && { appId: spec.appId }),
      ...(spec.jobId && { jobId: spec.jobId }),
      ...(spec.runId && { runId: spec.runId }),
      ...(spec.cmd && { cmd: spec.cmd }),
      ...(spec.args && { args: spec.args }),
      ...(spec.image && { image: spec.image }),
      env,
      ports: spec.ports.map((p) => ({
        port: p.port,
        ...(p.name && { name: p.name }),
        ...(p.protocol && { protocol: p.protocol }),
      })),
      cpus: spec.resources.cpus,
      mem: spec.resources.mem,
      ...(spec.resources.gpus > 0 && { gpus: spec.resources.gpus }),
      labels: spec.labels,
      killGracePeriodMs: spec.killGracePeriodMs,
    },
  };
}

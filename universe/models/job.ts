/**
 * A Metronome-style job: a run definition, cron schedules, and (Flotilla's addition, as in
 * Metronome 0.6+) dependencies on other jobs that make pipelines. Typed fields get
 * Metronome's defaults; other fields are kept and reported as warnings.
 */
import { Cron } from "croner";
import { z } from "zod";
import { UniverseError } from "../errors.js";
import type { Parsed } from "./app.js";
import { formatIssues, unknownKeys } from "./issues.js";
import { EnvValueSchema, SecretsDeclSchema } from "./secrets.js";

/** Metronome job ids: dot-separated lower-case segments (`etl.extract`). */
export const JOB_ID = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

const JobConstraintSchema = z.looseObject({
  attribute: z.string().min(1),
  operator: z.enum(["IS", "EQ", "LIKE", "UNLIKE"], {
    error: "job constraint operator must be IS, EQ, LIKE or UNLIKE",
  }),
  value: z.string().optional(),
});

export const ScheduleSchema = z.looseObject({
  id: z.string().min(1).default("default"),
  cron: z.string().superRefine((cron, ctx) => {
    const fields = cron.trim().split(/\s+/);
    if (fields.length !== 5) {
      ctx.addIssue({
        code: "custom",
        message: `cron must have 5 fields (minute hour day month weekday), got "${cron}"`,
      });
      return;
    }
    try {
      new Cron(cron, { paused: true });
    } catch (e) {
      ctx.addIssue({ code: "custom", message: `cron "${cron}" is invalid: ${(e as Error).message}` });
    }
  }),
  timezone: z
    .string()
    .default("UTC")
    .refine(isTimeZone, {
      error: (i) => `unknown time zone ${JSON.stringify(i.input)} (use an IANA name like Europe/Berlin)`,
    }),
  startingDeadlineSeconds: z.number().int().min(1).default(900),
  concurrencyPolicy: z.enum(["ALLOW", "FORBID"]).default("ALLOW"),
  enabled: z.boolean().default(true),
});
export type Schedule = z.output<typeof ScheduleSchema>;

export const JobSchema = z.looseObject({
  id: z.string().regex(JOB_ID, {
    error:
      "job id must be lower-case letters, digits and hyphens, segments separated by dots (e.g. etl.extract)",
  }),
  description: z.string().optional(),
  labels: z.record(z.string(), z.string()).default({}),
  run: z.looseObject({
    cmd: z.string().optional(),
    args: z.array(z.string()).optional(),
    cpus: z.number().min(0.01).default(1),
    mem: z.number().min(32).default(128),
    disk: z.number().min(0).default(0),
    gpus: z.number().int().min(0).default(0),
    user: z.string().optional(),
    docker: z.looseObject({ image: z.string().min(1), forcePullImage: z.boolean().optional() }).optional(),
    env: z.record(z.string(), EnvValueSchema).default({}),
    secrets: SecretsDeclSchema.optional(),
    placement: z
      .looseObject({ constraints: z.array(JobConstraintSchema).default([]) })
      .default({ constraints: [] }),
    restart: z
      .looseObject({
        policy: z.enum(["NEVER", "ON_FAILURE"]).default("NEVER"),
        activeDeadlineSeconds: z.number().int().min(0).optional(),
      })
      .default({ policy: "NEVER" }),
    maxLaunchDelay: z.number().int().min(1).default(3600),
    taskKillGracePeriodSeconds: z.number().min(0).optional(),
  }),
  schedules: z.array(ScheduleSchema).default([]),
  /** Parents: `["etl.extract"]` or Metronome's `[{"id": "etl.extract"}]`; normalised to ids. */
  dependencies: z
    .array(z.union([z.string(), z.looseObject({ id: z.string() }).transform((d) => d.id)]))
    .default([]),
});
export type Job = z.output<typeof JobSchema>;

const JOB_KEYS = new Set(Object.keys(JobSchema.shape));
const RUN_KEYS = new Set(Object.keys(JobSchema.shape.run.shape));

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Parses one Metronome job. Throws INVALID_PLAN listing every failing field. */
export function parseJob(input: unknown, where = "job"): Parsed<Job> {
  const result = JobSchema.safeParse(input);
  if (!result.success) {
    const issues = formatIssues(result.error.issues);
    throw new UniverseError("INVALID_PLAN", `${where} is not a valid job: ${issues.join("; ")}`, { issues });
  }
  const job = result.data;
  const warnings = [
    ...unknownKeys(input, JOB_KEYS).map(
      (k) => `${where} (${job.id}): unknown field "${k}" is kept and ignored`,
    ),
    ...unknownKeys((input as { run?: unknown }).run, RUN_KEYS).map(
      (k) => `${where} (${job.id}): unknown field "run.${k}" is kept and ignored`,
    ),
  ];
  if (!job.run.cmd && !job.run.args?.length && !job.run.docker?.image) {
    throw new UniverseError(
      "INVALID_PLAN",
      `${where} (${job.id}): a job run needs a cmd, args or docker.image`,
    );
  }
  const ids = job.schedules.map((s) => s.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup)
    throw new UniverseError("INVALID_PLAN", `${where} (${job.id}): schedule id "${dup}" is used twice`);
  return { value: job, warnings };
}

/**
 * Checks the pipeline formed by jobs' dependencies: every parent must be one of `jobs` (or of
 * `known`, jobs that already exist elsewhere) and the graph must have no cycle.
 * Throws INVALID_PLAN naming the unknown parent or the cycle.
 */
export function checkJobDependencies(jobs: readonly Job[], known: ReadonlySet<string> = new Set()): void {
  const byId = new Map(jobs.map((j) => [j.id, j]));
  for (const job of jobs) {
    for (const parent of job.dependencies) {
      if (!byId.has(parent) && !known.has(parent)) {
        throw new UniverseError("INVALID_PLAN", `job ${job.id} depends on unknown job ${parent}`);
      }
      if (parent === job.id) throw new UniverseError("INVALID_PLAN", `job ${job.id} depends on itself`);
    }
  }
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string, path: string[]): void => {
    if (state.get(id) === "done") return;
    if (state.get(id) === "visiting") {
      const cycle = [...path.slice(path.indexOf(id)), id];
      throw new UniverseError("INVALID_PLAN", `job dependencies form a cycle: ${cycle.join(" → ")}`, {
        cycle,
      });
    }
    state.set(id, "visiting");
    for (const parent of byId.get(id)?.dependencies ?? []) visit(parent, [...path, id]);
    state.set(id, "done");
  };
  for (const job of jobs) visit(job.id, []);
}

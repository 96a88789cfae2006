/**
 * A Marathon-style app, as package templates render it and as SCHEDULING.md describes it.
 * Fields Flotilla acts on are typed and get Marathon's defaults; every other field is kept
 * unchanged and reported as a warning (Marathon knows it but Flotilla ignores it, or it is
 * unknown), so apps written for Marathon are accepted as they are written in the wild.
 */
import { z } from "zod";
import { UniverseError } from "../errors.js";
import { formatIssues, unknownKeys } from "./issues.js";
import { EnvValueSchema, SecretsDeclSchema } from "./secrets.js";

export const CONSTRAINT_OPERATORS = [
  "UNIQUE",
  "CLUSTER",
  "GROUP_BY",
  "LIKE",
  "UNLIKE",
  "MAX_PER",
  "IS",
] as const;
export type ConstraintOperator = (typeof CONSTRAINT_OPERATORS)[number];

/** `[field, OPERATOR, value?]`; Marathon also accepted `"field:OPERATOR:value"` strings. */
export const ConstraintSchema = z
  .union([z.array(z.union([z.string(), z.number()])), z.string()])
  .transform((raw, ctx) => {
    const parts = typeof raw === "string" ? raw.split(":") : raw.map(String);
    const [field, op, value, ...rest] = parts;
    const operator = op?.toUpperCase();
    if (!field || !operator || rest.length > 0) {
      ctx.addIssue({
        code: "custom",
        message: `a constraint is [field, OPERATOR, value?], got ${JSON.stringify(raw)}`,
      });
      return z.NEVER;
    }
    if (!(CONSTRAINT_OPERATORS as readonly string[]).includes(operator)) {
      ctx.addIssue({
        code: "custom",
        message: `unknown constraint operator ${op}; use one of ${CONSTRAINT_OPERATORS.join(", ")}`,
      });
      return z.NEVER;
    }
    const needsValue = ["LIKE", "UNLIKE", "MAX_PER", "IS"].includes(operator);
    if (needsValue && value === undefined) {
      ctx.addIssue({ code: "custom", message: `constraint operator ${operator} needs a value` });
      return z.NEVER;
    }
    if (
      (operator === "MAX_PER" || operator === "GROUP_BY") &&
      value !== undefined &&
      !/^[1-9]\d*$/.test(value)
    ) {
      ctx.addIssue({ code: "custom", message: `${operator} takes a positive whole number, got ${value}` });
      return z.NEVER;
    }
    if ((operator === "LIKE" || operator === "UNLIKE") && value !== undefined) {
      try {
        new RegExp(`^(?:${value})$`);
      } catch {
        ctx.addIssue({
          code: "custom",
          message: `${operator} value ${value} is not a valid regular expression`,
        });
        return z.NEVER;
      }
    }
    return value === undefined
      ? ([field, operator as ConstraintOperator] as const)
      : ([field, operator as ConstraintOperator, value] as const);
  });
export type Constraint = z.output<typeof ConstraintSchema>;

export const PortDefinitionSchema = z.looseObject({
  port: z.number().int().min(0).max(65535).default(0),
  protocol: z.string().default("tcp"),
  name: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});

export const HealthCheckSchema = z.looseObject({
  protocol: z
    .enum(["HTTP", "HTTPS", "TCP", "COMMAND", "MESOS_HTTP", "MESOS_HTTPS", "MESOS_TCP"], {
      error: "health check protocol must be HTTP, HTTPS, TCP or COMMAND",
    })
    .default("HTTP"),
  path: z.string().optional(),
  portIndex: z.number().int().min(0).optional(),
  port: z.number().int().min(0).max(65535).optional(),
  command: z.looseObject({ value: z.string() }).optional(),
  gracePeriodSeconds: z.number().min(0).default(300),
  intervalSeconds: z.number().min(0).default(60),
  timeoutSeconds: z.number().min(0).default(20),
  maxConsecutiveFailures: z.number().int().min(0).default(3),
  delaySeconds: z.number().min(0).optional(),
  ignoreHttp1xx: z.boolean().optional(),
});
export type HealthCheck = z.output<typeof HealthCheckSchema>;

export const AppSchema = z.looseObject({
  id: z.string().min(1, { error: "an app needs an id" }),
  cmd: z.string().nullish(),
  args: z.array(z.string()).nullish(),
  user: z.string().optional(),
  instances: z.number().int().min(0).default(1),
  cpus: z.number().min(0).default(1),
  mem: z.number().min(0).default(128),
  disk: z.number().min(0).default(0),
  gpus: z.number().int().min(0).default(0),
  env: z.record(z.string(), EnvValueSchema).default({}),
  labels: z.record(z.string(), z.string()).default({}),
  container: z
    .looseObject({
      type: z.string().default("MESOS"),
      docker: z
        .looseObject({
          image: z.string().min(1),
          network: z.string().optional(),
          forcePullImage: z.boolean().optional(),
          portMappings: z.array(z.looseObject({})).optional(),
        })
        .optional(),
      portMappings: z.array(z.looseObject({})).optional(),
    })
    .optional(),
  portDefinitions: z.array(PortDefinitionSchema).optional(),
  /** Legacy Marathon: a list of port numbers, same meaning as portDefinitions' `port`. */
  ports: z.array(z.number().int().min(0).max(65535)).optional(),
  requirePorts: z.boolean().default(false),
  constraints: z.array(ConstraintSchema).default([]),
  healthChecks: z.array(HealthCheckSchema).default([]),
  readinessChecks: z.array(z.looseObject({})).optional(),
  upgradeStrategy: z
    .looseObject({
      minimumHealthCapacity: z.number().min(0).max(1).default(1),
      maximumOverCapacity: z.number().min(0).max(1).default(1),
    })
    .default({ minimumHealthCapacity: 1, maximumOverCapacity: 1 }),
  backoffSeconds: z.number().min(0).default(1),
  backoffFactor: z.number().min(1).default(1.15),
  maxLaunchDelaySeconds: z.number().min(0).default(300),
  killSelection: z.enum(["YOUNGEST_FIRST", "OLDEST_FIRST"]).default("YOUNGEST_FIRST"),
  taskKillGracePeriodSeconds: z.number().min(0).optional(),
  dependencies: z.array(z.string()).default([]),
  secrets: SecretsDeclSchema.optional(),
});
export type App = z.output<typeof AppSchema>;

const APP_KEYS = new Set(Object.keys(AppSchema.shape));
/** Marathon fields that Flotilla keeps but does not act on (yet). */
const MARATHON_IGNORED = new Set([
  "acceptedResourceRoles",
  "uris",
  "fetch",
  "storeUrls",
  "executor",
  "residency",
  "ipAddress",
  "networks",
  "unreachableStrategy",
  "role",
  "version",
  "versionInfo",
  "resourceLimits",
  "check",
  "tty",
  "backoff",
  "upgrade",
]);

export interface Parsed<T> {
  value: T;
  warnings: string[];
}

/**
 * Parses one rendered or hand-written Marathon app. `where` names it in messages
 * (e.g. `apps[0]` or a file path). Throws INVALID_PLAN listing every failing field.
 */
export function parseApp(input: unknown, where = "app"): Parsed<App> {
  const result = AppSchema.safeParse(input);
  if (!result.success) {
    throw new UniverseError(
      "INVALID_PLAN",
      `${where} is not a valid app: ${formatIssues(result.error.issues).join("; ")}`,
      { issues: formatIssues(result.error.issues) },
    );
  }
  const app = result.data;
  const warnings = unknownKeys(input, APP_KEYS).map((k) =>
    MARATHON_IGNORED.has(k)
      ? `${where} (${app.id}): Marathon field "${k}" is kept but not used by Flotilla`
      : `${where} (${app.id}): unknown field "${k}" is kept and ignored`,
  );
  // Marathon counts only a non-empty args (`app.args.nonEmpty`): `"args": []` next to cmd is no args.
  if (app.cmd && app.args?.length) {
    throw new UniverseError("INVALID_PLAN", `${where} (${app.id}): give either cmd or args, not both`);
  }
  if (!app.cmd && !app.args?.length && !app.container?.docker?.image) {
    throw new UniverseError(
      "INVALID_PLAN",
      `${where} (${app.id}): an app needs a cmd, args or a container.docker.image to run`,
    );
  }
  if (app.portDefinitions && app.ports) {
    warnings.push(`${where} (${app.id}): both ports and portDefinitions given; portDefinitions is used`);
  }
  return { value: app, warnings };
}

/** The port definitions of an app, whether written as portDefinitions or legacy ports. */
export function appPortDefinitions(app: App): z.output<typeof PortDefinitionSchema>[] {
  if (app.portDefinitions) return app.portDefinitions;
  return (app.ports ?? []).map((port) => ({ port, protocol: "tcp" }));
}

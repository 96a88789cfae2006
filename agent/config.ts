/**
 * The agent's configuration, parsed once at start from flags and environment (flags win),
 * with zod. Resources are detected unless overridden: cpus from the machine, memory from its
 * total, disk from the free space of the data directory's file system. A missing or invalid
 * setting is reported naming its flag and variable.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { type HostFacts, hostFacts } from "./daemon/host-facts.js";
import type { LogLevel } from "./daemon/logger.js";

export type { HostFacts } from "./daemon/host-facts.js";

export type RuntimeChoice = "docker" | "process" | "auto";

export interface AgentConfig {
  /** Base URL of the gateway (`https://…`, or `http://` on a trusted network). */
  gateway: string;
  /** Join token (`fltj_…`), needed on the first start only. */
  joinToken?: string;
  /** Holds the credential, the local store and process sandboxes. */
  dataDir: string;
  runtime: RuntimeChoice;
  /** Docker daemon (`unix:///…/docker.sock`); default /var/run/docker.sock. */
  dockerHost?: string;
  /** What the node offers: cpus, mem and disk in MB, gpus. */
  resources: { cpus: number; mem: number; disk: number; gpus: number };
  /** Operator-set attributes for constraints (`zone`, `rack`, …); `hostname` is implied. */
  attributes: Record<string, string>;
  /** Host port ranges handed to tasks. */
  ports: [number, number][];
  /** PEM bundle the gateway's certificate is checked against. */
  caFile?: string;
  hostname: string;
  logLevel: LogLevel;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Which flag and variable each setting comes from, for messages and `--help`. */
const SOURCES = {
  gateway: ["--gateway", "FLOTILLA_GATEWAY", "gateway base URL (required)"],
  joinToken: ["--join-token", "FLOTILLA_JOIN_TOKEN", "join token, first start only"],
  dataDir: ["--data-dir", "FLOTILLA_AGENT_DATA_DIR", "data directory (default ./data/agent)"],
  runtime: ["--runtime", "FLOTILLA_AGENT_RUNTIME", "docker | process | auto (default auto)"],
  dockerHost: ["--docker-host", "DOCKER_HOST", "Docker daemon socket (unix://…)"],
  cpus: ["--cpus", "FLOTILLA_AGENT_CPUS", "cpus offered (default: detected)"],
  mem: ["--mem", "FLOTILLA_AGENT_MEM", "memory offered in MB (default: detected)"],
  disk: ["--disk", "FLOTILLA_AGENT_DISK", "disk offered in MB (default: free space of the data dir)"],
  gpus: ["--gpus", "FLOTILLA_AGENT_GPUS", "gpus offered (default 0)"],
  attribute: ["--attribute", "FLOTILLA_AGENT_ATTRIBUTES", "key=value, repeatable (env: comma-separated)"],
  ports: ["--ports", "FLOTILLA_AGENT_PORTS", "port ranges, e.g. 31000-32000,8000-8099 (default 31000-32000)"],
  caFile: ["--ca-file", "FLOTILLA_CA_FILE", "PEM bundle to trust for HTTPS to the gateway"],
  hostname: ["--hostname", "FLOTILLA_AGENT_HOSTNAME", "node name (default: the machine's)"],
  logLevel: ["--log-level", "FLOTILLA_LOG_LEVEL", "debug | info | warn | error (default info)"],
} as const;
type Setting = keyof typeof SOURCES;

export const USAGE = `Usage: flotilla-agent [options]\n\n${Object.values(SOURCES)
  .map(([flag, env, text]) => `  ${`${flag} (${env})`.padEnd(48)} ${text}`)
  .join("\n")}\n`;

const positive = z.coerce.number().finite().min(0);
const HOSTNAME = /^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/;

const ConfigSchema = z.object({
  gateway: z.string({ error: "is required" }).refine((v) => /^https?:\/\/[^/]+/.test(v) && URL.canParse(v), {
    error: "must be an http:// or https:// URL, e.g. https://gateway.example:8443",
  }),
  joinToken: z
    .string()
    .regex(/^fltj_[A-Za-z0-9]{20,100}$/, { error: "must be a join token (fltj_…)" })
    .optional(),
  dataDir: z.string().min(1).default("./data/agent"),
  runtime: z
    .enum(["docker", "process", "auto"], { error: "must be docker, process or auto" })
    .default("auto"),
  dockerHost: z
    .string()
    .regex(/^unix:\/\/\//, { error: "must be a unix socket URL (unix:///path/docker.sock)" })
    .optional(),
  cpus: positive.optional(),
  mem: positive.optional(),
  disk: positive.optional(),
  gpus: z.coerce.number().int().min(0).optional(),
  attribute: z
    .array(
      z.string().regex(/^[A-Za-z0-9_.-]{1,63}=.{0,253}$/, {
        error: "must be key=value (key: letters, digits, _ . -)",
      }),
    )
    .default([]),
  ports: z
    .string()
    .default("31000-32000")
    .transform((text, ctx) => {
      const ranges: [number, number][] = [];
      for (const part of text
        .split(",")
        .map((p) => p.trim())
        .filter(Boolean)) {
        const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
        const from = m ? Number(m[1]) : Number.NaN;
        const to = m ? Number(m[2] ?? m[1]) : Number.NaN;
        if (!(from >= 1 && to <= 65_535 && from <= to)) {
          ctx.addIssue({
            code: "custom",
            message: `"${part}" is not a port range like 31000-32000 (1–65535)`,
          });
          return z.NEVER;
        }
        ranges.push([from, to]);
      }
      return ranges;
    }),
  caFile: z.string().min(1).optional(),
  hostname: z
    .string()
    .regex(HOSTNAME, { error: "must be a host name (letters, digits, . and -)" })
    .optional(),
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

/**
 * Parses flags (`argv` without node and script) over environment variables.
 *
 * @example parseAgentConfig(process.argv.slice(2), process.env)
 * @throws ConfigError naming every bad setting
 */
export function parseAgentConfig(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  host: HostFacts = hostFacts,
): AgentConfig {
  let flags: Record<string, string | string[] | boolean | undefined>;
  try {
    flags = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        gateway: { type: "string" },
        "join-token": { type: "string" },
        "data-dir": { type: "string" },
        runtime: { type: "string" },
        "docker-host": { type: "string" },
        cpus: { type: "string" },
        mem: { type: "string" },
        disk: { type: "string" },
        gpus: { type: "string" },
        attribute: { type: "string", multiple: true },
        ports: { type: "string" },
        "ca-file": { type: "string" },
        hostname: { type: "string" },
        "log-level": { type: "string" },
      },
    }).values;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const pick = (setting: Setting) => {
    const [flag, variable] = SOURCES[setting];
    const fromFlag = flags[flag.slice(2)];
    return fromFlag !== undefined ? fromFlag : env[variable] === "" ? undefined : env[variable];
  };
  const envAttributes = env.FLOTILLA_AGENT_ATTRIBUTES?.split(",")
    .map((a) => a.trim())
    .filter(Boolean);
  const raw = {
    gateway: pick("gateway"),
    joinToken: pick("joinToken"),
    dataDir: pick("dataDir"),
    runtime: pick("runtime"),
    dockerHost: pick("dockerHost"),
    cpus: pick("cpus"),
    mem: pick("mem"),
    disk: pick("disk"),
    gpus: pick("gpus"),
    attribute: (flags.attribute as string[] | undefined) ?? envAttributes,
    ports: pick("ports"),
    caFile: pick("caFile"),
    hostname: pick("hostname"),
    logLevel: pick("logLevel"),
  };
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => {
      const key = String(i.path[0]) as Setting;
      const [flag, variable] = SOURCES[key] ?? [key, key];
      return `  ${flag} / ${variable}: ${i.message}`;
    });
    throw new ConfigError(`invalid agent configuration:\n${lines.join("\n")}\n\n${USAGE}`);
  }
  const c = parsed.data;
  const dataDir = resolve(c.dataDir);
  const hostname = c.hostname ?? host.hostname();
  if (!HOSTNAME.test(hostname))
    throw new ConfigError(
      `invalid agent configuration:\n  --hostname / FLOTILLA_AGENT_HOSTNAME: the machine's name "${hostname}" is not a valid host name; set one`,
    );
  return {
    gateway: c.gateway.replace(/\/+$/, ""),
    ...(c.joinToken && { joinToken: c.joinToken }),
    dataDir,
    runtime: c.runtime,
    ...(c.dockerHost && { dockerHost: c.dockerHost }),
    resources: {
      cpus: c.cpus ?? host.cpus(),
      mem: c.mem ?? host.memMb(),
      disk: c.disk ?? host.diskMb(dataDir),
      gpus: c.gpus ?? 0,
    },
    attributes: Object.fromEntries(
      c.attribute.map((a) => {
        const i = a.indexOf("=");
        return [a.slice(0, i), a.slice(i + 1)];
      }),
    ),
    ports: c.ports,
    ...(c.caFile && { caFile: resolve(c.caFile) }),
    hostname,
    logLevel: c.logLevel,
  };
}

/**
 * Builders for scheduler tests — apps and jobs parsed by the real universe models, nodes,
 * tasks — and an independent checker of a placement (written from SCHEDULING.md, sharing no
 * code with the scheduler) that lists every broken rule.
 */
import type { DesiredApp, Launch, NodeSpec, ObservedTask } from "../../../agent/scheduler/index.js";
import { type App, parseApp } from "../../../universe/models/app.js";
import { type Job, parseJob } from "../../../universe/models/job.js";

export const NOW = 1_800_000_000_000;

/** A Marathon app with defaults; only the fields a test cares about need to be given. */
export function app(fields: Record<string, unknown>): App {
  return parseApp({ id: "/web", cmd: "serve", ...fields }).value;
}

/** A Metronome job with defaults. */
export function job(id: string, run: Record<string, unknown> = {}): Job {
  return parseJob({ id, run: { cmd: "work", ...run } }).value;
}

export function desired(a: App, version = "v1"): DesiredApp {
  return { app: a, version };
}

/** A node with 8 cpus, 16 GB, 100 GB disk, ports 31000-31099 unless told otherwise. */
export function node(
  id: string,
  extra: Partial<NodeSpec> & { attributes?: Record<string, string | number> } = {},
): NodeSpec {
  return {
    id,
    hostname: `${id}.local`,
    resources: { cpus: 8, mem: 16384, disk: 100_000 },
    ports: [[31000, 31099]],
    ...extra,
  };
}

/** Launches of one cycle as the RUNNING (and healthy) tasks the next cycle observes. */
export function asRunning(launches: readonly Launch[], startedAt = NOW): ObservedTask[] {
  return launches.map((l) => ({
    id: l.taskId,
    nodeId: l.nodeId,
    state: "RUNNING" as const,
    resources: l.resources,
    ports: l.ports,
    startedAt,
    appId: l.appId,
    version: l.version,
    runId: l.runId,
    healthy: true,
  }));
}

/** A task of an app, RUNNING and healthy unless told otherwise. */
export function task(
  id: string,
  appId: string,
  nodeId: string,
  extra: Partial<ObservedTask> = {},
): ObservedTask {
  return {
    id,
    nodeId,
    appId,
    version: "v1",
    state: "RUNNING",
    resources: { cpus: 1, mem: 128 },
    startedAt: NOW - 60_000,
    healthy: true,
    ...extra,
  };
}

const LIVE = new Set(["STAGING", "STARTING", "RUNNING", "KILLING", "UNREACHABLE"]);

/**
 * Every broken rule of a placement: a node whose tasks exceed its resources, a port used
 * twice on a node or outside its ranges, a hard constraint (IS, LIKE, UNLIKE, CLUSTER, UNIQUE,
 * MAX_PER) that an app's tasks break. GROUP_BY is a spreading goal, checked by its own tests.
 */
export function violations(
  nodes: readonly NodeSpec[],
  apps: readonly App[],
  tasks: readonly ObservedTask[],
): string[] {
  const out: string[] = [];
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const use = new Map<string, { cpus: number; mem: number; disk: number; gpus: number; ports: number[] }>();
  for (const t of tasks) {
    if (!LIVE.has(t.state)) continue;
    const u = use.get(t.nodeId) ?? { cpus: 0, mem: 0, disk: 0, gpus: 0, ports: [] };
    use.set(t.nodeId, u);
    u.cpus += t.resources.cpus;
    u.mem += t.resources.mem;
    u.disk += t.resources.disk ?? 0;
    u.gpus += t.resources.gpus ?? 0;
    u.ports.push(...(t.ports ?? []));
  }
  for (const [id, u] of use) {
    const n = byId.get(id)!;
    const r = n.resources;
    for (const k of ["cpus", "mem", "disk", "gpus"] as const) {
      if (u[k] > (r[k] ?? 0) + 1e-9) out.push(`node ${id} over-committed on ${k}: ${u[k]} > ${r[k] ?? 0}`);
    }
    const ranges = typeof n.ports === "string" || n.ports === undefined ? [[31000, 32000]] : n.ports;
    const seen = new Set<number>();
    for (const p of u.ports) {
      if (seen.has(p)) out.push(`node ${id}: port ${p} given twice`);
      seen.add(p);
      if (!ranges.some(([b, e]) => p >= b! && p <= e!)) out.push(`node ${id}: port ${p} outside its ranges`);
    }
  }
  const attr = (n: NodeSpec, f: string) => (f === "hostname" ? n.hostname : n.attributes?.[f]?.toString());
  for (const a of apps) {
    const placed = tasks.filter((t) => t.appId === a.id && LIVE.has(t.state)).map((t) => byId.get(t.nodeId)!);
    for (const [field, op, value] of a.constraints) {
      const values = placed.map((n) => attr(n, field));
      const count = new Map<string | undefined, number>();
      for (const v of values) count.set(v, (count.get(v) ?? 0) + 1);
      const re = new RegExp(`^(?:${value})$`);
      const broken =
        (op === "IS" &&
          values.some((v) => v === undefined || (v !== value && Number(v) !== Number(value)))) ||
        (op === "LIKE" && values.some((v) => v === undefined || !re.test(v))) ||
        (op === "UNLIKE" && values.some((v) => v !== undefined && re.test(v))) ||
        (op === "CLUSTER" &&
          (count.size > 1 || values.some((v) => v === undefined || (value !== undefined && v !== value)))) ||
        (op === "UNIQUE" && (count.size !== values.length || count.has(undefined))) ||
        (op === "MAX_PER" && ([...count.values()].some((c) => c > Number(value)) || count.has(undefined))) ||
        (op === "GROUP_BY" && count.has(undefined));
      if (broken)
        out.push(`app ${a.id} breaks [${[field, op, value].filter((x) => x !== undefined).join(", ")}]`);
    }
  }
  return out;
}

/** Instances of an app per value of a field. */
export function spreadOf(
  nodes: readonly NodeSpec[],
  field: string,
  launches: readonly { nodeId: string }[],
): Map<string, number> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, number>();
  for (const l of launches) {
    const n = byId.get(l.nodeId)!;
    const v = field === "hostname" ? n.hostname : String(n.attributes?.[field]);
    out.set(v, (out.get(v) ?? 0) + 1);
  }
  return out;
}

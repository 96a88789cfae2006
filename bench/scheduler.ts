/**
 * Benchmark of the agent's scheduler: one cold `schedule()` cycle placing a whole synthetic
 * workload (mixed sizes, a fifth of the apps with constraints, some port demands) on an empty
 * cluster, checked by an independent checker written here, not in the scheduler.
 *
 * Run: `npm run bench:scheduler`. Prints one JSON line per scenario; see bench/README.md.
 */
import { performance } from "node:perf_hooks";
import {
  createRng,
  type DesiredApp,
  type Launch,
  type NodeSpec,
  schedule,
} from "../agent/scheduler/index.js";
import { type App, parseApp } from "../universe/models/app.js";

const SCENARIOS = [
  { name: "10k-on-1k", nodes: 1_000, tasks: 10_000 },
  { name: "50k-on-5k", nodes: 5_000, tasks: 50_000 },
] as const;
const RUNS = 3;
const NODE = { cpus: 32, mem: 131_072, disk: 1_000_000 };
const ZONES = ["eu-1", "eu-2", "eu-3"];

/** mulberry32: the workload generator's own seeded source (independent of the scheduler's). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeNodes(count: number): NodeSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `n${i}`,
    hostname: `node-${String(i).padStart(5, "0")}.dc1`,
    resources: NODE,
    ports: [[31000, 32000]] as const,
    attributes: { zone: ZONES[i % 3]!, rack: `r${Math.floor(i / 25)}`, gen: `gen-${(i % 4) + 1}` },
  }));
}

function makeApps(totalTasks: number, seed: number): DesiredApp[] {
  const random = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const apps: DesiredApp[] = [];
  let placed = 0;
  while (placed < totalTasks) {
    const k = apps.length;
    const instances = Math.min(totalTasks - placed, 1 + Math.floor(random() * 40));
    const cpus = pick([0.1, 0.25, 0.25, 0.5, 0.5, 1, 1, 2, 4]);
    const mem = Math.max(64, Math.round(cpus * pick([1024, 2048, 4096, 4096, 8192]) * (0.75 + random() / 2)));
    const raw: Record<string, unknown> = {
      id: `/bench/app-${k}`,
      cmd: "sleep infinity",
      instances,
      cpus,
      mem,
      disk: pick([0, 0, 100, 500]),
    };
    if (random() < 0.3)
      raw.portDefinitions = Array.from({ length: 1 + Math.floor(random() * 2) }, () => ({ port: 0 }));
    if (k % 5 === 0) {
      const c = pick<unknown[]>([
        ["hostname", "UNIQUE"],
        ["zone", "IS", pick(ZONES)],
        ["rack", "GROUP_BY"],
        ["zone", "GROUP_BY", "3"],
        ["hostname", "MAX_PER", "2"],
        ["gen", "LIKE", "gen-[12]"],
        ["zone", "UNLIKE", "eu-3"],
        ["zone", "CLUSTER"],
      ]);
      raw.constraints = [c];
      if (random() < 0.1) {
        raw.portDefinitions = [{ port: 31900 + (k % 50) }];
        raw.requirePorts = true;
      }
    }
    const app = parseApp(raw).value;
    apps.push({ app, version: "v1" });
    placed += instances;
  }
  return apps;
}

/** Counts every broken rule: over-committed nodes, bad or doubled ports, broken constraints. */
function countViolations(nodes: NodeSpec[], apps: DesiredApp[], launches: Launch[]): number {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const appById = new Map(apps.map((d) => [d.app.id, d.app]));
  const used = new Map<string, { cpus: number; mem: number; disk: number; ports: Set<number> }>();
  const perApp = new Map<string, NodeSpec[]>();
  let violations = 0;
  for (const l of launches) {
    const node = byId.get(l.nodeId)!;
    const u = used.get(l.nodeId) ?? { cpus: 0, mem: 0, disk: 0, ports: new Set<number>() };
    used.set(l.nodeId, u);
    u.cpus += l.resources.cpus;
    u.mem += l.resources.mem;
    u.disk += l.resources.disk;
    for (const p of l.ports) {
      if (u.ports.has(p) || p < 31000 || p > 32000) violations++;
      u.ports.add(p);
    }
    const app = appById.get(l.appId!)!;
    const want = app.requirePorts ? (app.portDefinitions ?? []).map((d) => d.port) : [];
    if (want.some((p) => !l.ports.includes(p))) violations++;
    const list = perApp.get(app.id) ?? [];
    perApp.set(app.id, list);
    list.push(node);
  }
  for (const [id, u] of used) {
    const r = byId.get(id)!.resources;
    if (u.cpus > r.cpus + 1e-6 || u.mem > r.mem + 1e-6 || u.disk > (r.disk ?? 0) + 1e-6) violations++;
  }
  const attr = (n: NodeSpec, f: string) => (f === "hostname" ? n.hostname : n.attributes?.[f]?.toString());
  for (const [appId, placedOn] of perApp) {
    for (const [field, op, value] of appById.get(appId)!.constraints) {
      const values = placedOn.map((n) => attr(n, field));
      const counts = new Map<string | undefined, number>();
      for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
      const re = new RegExp(`^(?:${value})$`);
      const ok =
        op === "UNIQUE"
          ? counts.size === values.length
          : op === "IS"
            ? values.every((v) => v === value)
            : op === "LIKE"
              ? values.every((v) => v !== undefined && re.test(v))
              : op === "UNLIKE"
                ? values.every((v) => v === undefined || !re.test(v))
                : op === "MAX_PER"
                  ? [...counts.values()].every((c) => c <= Number(value))
                  : op === "CLUSTER"
                    ? counts.size === 1 && (value === undefined || values[0] === value)
                    : groupByEven(nodes, field, value, counts, attr);
      if (!ok) violations++;
    }
  }
  return violations;
}

/** GROUP_BY: instances spread over min(n, values) values, max − min ≤ 1 over those it may use. */
function groupByEven(
  nodes: NodeSpec[],
  field: string,
  value: string | undefined,
  counts: Map<string | undefined, number>,
  attr: (n: NodeSpec, f: string) => string | undefined,
): boolean {
  const all = new Set(nodes.map((n) => attr(n, field)));
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const width = Math.min(value === undefined ? all.size : Number(value), all.size, total);
  if (counts.size !== width) return false;
  const spread =
    value === undefined && total >= all.size ? [...all].map((v) => counts.get(v) ?? 0) : [...counts.values()];
  return Math.max(...spread) - Math.min(...spread) <= 1;
}

function lowerBound(apps: App[]): number {
  let cpus = 0;
  let mem = 0;
  let disk = 0;
  for (const a of apps) {
    cpus += a.cpus * a.instances;
    mem += a.mem * a.instances;
    disk += a.disk * a.instances;
  }
  return Math.ceil(Math.max(cpus / NODE.cpus, mem / NODE.mem, disk / NODE.disk));
}

for (const s of SCENARIOS) {
  const nodes = makeNodes(s.nodes);
  const apps = makeApps(s.tasks, 20261125);
  const input = { nodes, apps, tasks: [] };
  schedule(input, 1_800_000_000_000, createRng(1)); // warm-up: let the JIT settle
  const times: number[] = [];
  let result = schedule(input, 1_800_000_000_000, createRng(7));
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    result = schedule(input, 1_800_000_000_000, createRng(7));
    times.push(performance.now() - start);
  }
  const ms = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  const nodesUsed = new Set(result.launches.map((l) => l.nodeId)).size;
  const line = {
    bench: "scheduler",
    scenario: s.name,
    placementsPerSecond: Math.round(result.launches.length / (ms / 1000)),
    nodesUsedRatio: Math.round((nodesUsed / lowerBound(apps.map((d) => d.app))) * 1000) / 1000,
    violations: countViolations(nodes, apps, result.launches),
    unplaced: s.tasks - result.launches.length,
    placed: result.launches.length,
    nodesUsed,
    lowerBound: lowerBound(apps.map((d) => d.app)),
    apps: apps.length,
    cycleMs: Math.round(ms),
    rounds: result.stats.rounds,
    offers: result.stats.offers,
  };
  console.log(JSON.stringify(line));
}

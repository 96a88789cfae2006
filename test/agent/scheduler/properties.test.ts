import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createRng,
  type JobRunRequest,
  type NodeSpec,
  planDeployments,
  schedule,
  upgradeBounds,
} from "../../../agent/scheduler/index.js";
import { app, asRunning, desired, job, NOW, spreadOf, violations } from "./fixtures.js";
import { Cluster, runningTasks } from "./simulate.js";

const CONSTRAINTS: unknown[][] = [
  ["hostname", "UNIQUE"],
  ["zone", "UNIQUE"],
  ["zone", "IS", "z1"],
  ["rack", "LIKE", "r[12]"],
  ["rack", "UNLIKE", "r1"],
  ["zone", "CLUSTER"],
  ["zone", "CLUSTER", "z2"],
  ["zone", "MAX_PER", "2"],
  ["hostname", "MAX_PER", "3"],
  ["rack", "GROUP_BY"],
  ["zone", "GROUP_BY", "2"],
];

const nodeArb = fc.record({
  cpus: fc.constantFrom(1, 2, 4, 8),
  mem: fc.constantFrom(1024, 4096, 16384),
  ports: fc.integer({ min: 0, max: 6 }),
  zone: fc.option(fc.constantFrom("z1", "z2", "z3"), { nil: undefined }),
  rack: fc.constantFrom("r1", "r2", "r3", "r4"),
});

const appArb = fc.record({
  instances: fc.integer({ min: 0, max: 10 }),
  grow: fc.integer({ min: 0, max: 5 }),
  cpus: fc.constantFrom(0.1, 0.5, 1, 2),
  mem: fc.constantFrom(64, 512, 2048),
  anyPorts: fc.integer({ min: 0, max: 2 }),
  exactPort: fc.option(fc.integer({ min: 31000, max: 31006 }), { nil: undefined }),
  constraints: fc.subarray(CONSTRAINTS, { maxLength: 2 }),
  spread: fc.boolean(),
});

const workloadArb = fc.record({
  nodes: fc.array(nodeArb, { minLength: 1, maxLength: 10 }),
  apps: fc.array(appArb, { minLength: 1, maxLength: 5 }),
  runs: fc.array(fc.constantFrom(0.5, 1, 3), { maxLength: 3 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

type WorkloadValue = typeof workloadArb extends fc.Arbitrary<infer T> ? T : never;

function build(w: WorkloadValue, grown: boolean) {
  const nodes: NodeSpec[] = w.nodes.map((n, i) => ({
    id: `n${i}`,
    hostname: `h${i}`,
    resources: { cpus: n.cpus, mem: n.mem, disk: 1000 },
    ports: n.ports > 0 ? [[31000, 31000 + n.ports - 1]] : [],
    attributes: (n.zone ? { zone: n.zone, rack: n.rack } : { rack: n.rack }) as Record<string, string>,
  }));
  const apps = w.apps.map((a, k) =>
    app({
      id: `/app${k}`,
      instances: a.instances + (grown ? a.grow : 0),
      cpus: a.cpus,
      mem: a.mem,
      constraints: a.constraints,
      labels: a.spread ? { FLOTILLA_PLACEMENT: "spread" } : {},
      ...(a.exactPort === undefined
        ? { portDefinitions: Array.from({ length: a.anyPorts }, () => ({ port: 0 })) }
        : { portDefinitions: [{ port: a.exactPort }], requirePorts: true }),
    }),
  );
  const runs: JobRunRequest[] = w.runs.map((cpus, k) => ({
    runId: `run${k}`,
    job: job("batch", { cpus }),
    queuedAt: NOW,
  }));
  return { nodes, apps, runs };
}

describe("scheduling properties over random clusters and workloads", () => {
  it("never over-commits a node, never gives a port twice and never breaks a hard constraint, over two cycles", () => {
    fc.assert(
      fc.property(workloadArb, (w) => {
        const first = build(w, false);
        const r1 = schedule(
          { nodes: first.nodes, apps: first.apps.map((a) => desired(a)), tasks: [], runs: first.runs },
          NOW,
          createRng(w.seed),
        );
        const tasks1 = asRunning(r1.launches);
        expect(violations(first.nodes, first.apps, tasks1)).toEqual([]);
        for (const a of first.apps) {
          expect(r1.launches.filter((l) => l.appId === a.id).length).toBeLessThanOrEqual(a.instances);
        }
        const second = build(w, true);
        const r2 = schedule(
          { nodes: second.nodes, apps: second.apps.map((a) => desired(a)), tasks: tasks1, memory: r1.memory },
          NOW + 1_000,
          createRng(w.seed + 1),
        );
        expect(violations(second.nodes, second.apps, [...tasks1, ...asRunning(r2.launches)])).toEqual([]);
        for (const a of second.apps) {
          const total = [...r1.launches, ...r2.launches].filter((l) => l.appId === a.id).length;
          expect(total).toBeLessThanOrEqual(a.instances);
        }
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it("gives identical results for an identical seed", () => {
    fc.assert(
      fc.property(workloadArb, (w) => {
        const { nodes, apps, runs } = build(w, false);
        const input = { nodes, apps: apps.map((a) => desired(a)), tasks: [], runs };
        expect(schedule(input, NOW, createRng(w.seed))).toEqual(schedule(input, NOW, createRng(w.seed)));
      }),
      { numRuns: 100, seed: 7 },
    );
  });

  it("explains every app that still waits", () => {
    fc.assert(
      fc.property(workloadArb, (w) => {
        const { nodes, apps } = build(w, false);
        const result = schedule(
          { nodes, apps: apps.map((a) => desired(a)), tasks: [] },
          NOW,
          createRng(w.seed),
        );
        for (const a of apps) {
          const placed = result.launches.filter((l) => l.appId === a.id).length;
          const pending = result.pending.find((p) => p.id === a.id);
          if (placed < a.instances) expect(pending?.waiting).toBe(a.instances - placed);
          else expect(pending).toBeUndefined();
        }
      }),
      { numRuns: 100, seed: 11 },
    );
  });
});

describe("GROUP_BY spreading", () => {
  it("keeps max − min ≤ 1 over the values it may use, whatever order offers arrive in", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 10 }),
        fc.option(fc.integer({ min: 1, max: 6 }), { nil: undefined }),
        fc.integer({ min: 0, max: 1000 }),
        (busy, perZone, instances, more, n, seed) => {
          // Zones with 1-3 roomy nodes each; one node half taken so the fullest-first order differs.
          const nodes: NodeSpec[] = perZone.flatMap((count, z) =>
            Array.from({ length: count }, (_, k) => ({
              id: `z${z}-${k}`,
              hostname: `z${z}-${k}`,
              resources: { cpus: 64, mem: 65536 },
              attributes: { zone: `z${z}` },
            })),
          );
          const other = app({ id: "/other", instances: busy, cpus: 8 });
          const constraints = [n === undefined ? ["zone", "GROUP_BY"] : ["zone", "GROUP_BY", String(n)]];
          const spread = (count: number) => app({ id: "/g", instances: count, constraints });
          const r1 = schedule(
            { nodes, apps: [desired(other), desired(spread(instances))], tasks: [] },
            NOW,
            createRng(seed),
          );
          const tasks = asRunning(r1.launches);
          const r2 = schedule(
            { nodes, apps: [desired(other), desired(spread(instances + more))], tasks },
            NOW,
            createRng(seed + 1),
          );
          const all = [...r1.launches, ...r2.launches].filter((l) => l.appId === "/g");
          expect(all).toHaveLength(instances + more);
          const counts = spreadOf(nodes, "zone", all);
          const zones = perZone.length;
          const width = Math.min(n ?? zones, zones, instances + more);
          expect(counts.size).toBe(width);
          const values =
            n === undefined ? perZone.map((_, z) => counts.get(`z${z}`) ?? 0) : [...counts.values()];
          expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});

describe("rolling upgrades", () => {
  it("never drop below minHealthy healthy instances nor exceed maxCapacity, and converge", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(0, 0.25, 0.5, 0.75, 1),
        fc.constantFrom(0, 0.25, 0.5, 1),
        fc.constantFrom<"YOUNGEST_FIRST" | "OLDEST_FIRST">("YOUNGEST_FIRST", "OLDEST_FIRST"),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (instances, minimumHealthCapacity, maximumOverCapacity, killSelection, seed) => {
          const a = app({
            instances,
            killSelection,
            healthChecks: [{ protocol: "HTTP", path: "/" }],
            upgradeStrategy: { minimumHealthCapacity, maximumOverCapacity },
          });
          const { minHealthy, maxCapacity } = upgradeBounds(a);
          fc.pre(maxCapacity > minHealthy);
          const rng = createRng(seed);
          const cluster = new Cluster(runningTasks("/web", "v1", instances, NOW));
          const healthy = () => cluster.count((t) => t.state === "RUNNING" && t.healthy === true);
          const total = () => cluster.count((t) => t.state !== "KILLED");
          let done = false;
          for (let step = 0; step < 300 && !done; step++) {
            const plan = planDeployments({ apps: [desired(a, "v2")], tasks: cluster.tasks, now: NOW + step });
            cluster.apply(plan, NOW + step);
            expect(healthy()).toBeGreaterThanOrEqual(minHealthy);
            expect(total()).toBeLessThanOrEqual(maxCapacity);
            done =
              plan.kills.length === 0 &&
              plan.launches.length === 0 &&
              cluster.count((t) => t.version === "v2" && t.healthy === true) === instances &&
              cluster.count((t) => t.version === "v1") === 0;
            // Tasks finish dying and turn healthy in random order; after a while, all at once.
            const eager = step > 100;
            const dying = cluster.tasks.filter((t) => t.state === "KILLING" && (eager || rng.float() < 0.5));
            cluster.tasks = cluster.tasks.filter((t) => !dying.includes(t));
            for (const t of cluster.tasks)
              if (t.state === "STAGING" && (eager || rng.float() < 0.4)) cluster.healthy(t.id);
          }
          expect(done).toBe(true);
        },
      ),
      { numRuns: 300, seed: 5 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { createRng, type NodeSpec, type ObservedTask, schedule } from "../../../agent/scheduler/index.js";
import { app, desired, job, NOW, node, spreadOf, task, violations } from "./fixtures.js";

/** Three zones × two racks each, six nodes. */
const cluster: NodeSpec[] = ["a", "b", "c", "d", "e", "f"].map((id, i) =>
  node(id, { attributes: { zone: `z${Math.floor(i / 2) + 1}`, rack: `r${i + 1}`, gen: (i % 2) + 1 } }),
);

function place(
  constraints: unknown[],
  instances: number,
  opts: { tasks?: ObservedTask[]; seed?: number; nodes?: NodeSpec[]; cpus?: number } = {},
) {
  const a = app({ id: "/c", instances, constraints, cpus: opts.cpus ?? 1 });
  const nodes = opts.nodes ?? cluster;
  const result = schedule(
    { nodes, apps: [desired(a)], tasks: opts.tasks ?? [] },
    NOW,
    createRng(opts.seed ?? 1),
  );
  return { a, nodes, result, on: result.launches.map((l) => l.nodeId) };
}

describe("constraint operators", () => {
  it("UNIQUE hostname: no two instances on one host, and says why the rest wait", () => {
    const { on, result } = place([["hostname", "UNIQUE"]], 8);
    expect(new Set(on).size).toBe(6);
    expect(on).toHaveLength(6);
    expect(result.pending[0]).toMatchObject({ id: "/c", waiting: 2 });
    expect(result.pending[0]!.message).toBe("0 of 6 nodes fit: 6 excluded by [hostname, UNIQUE]");
  });

  it("UNIQUE on an attribute: one instance per value, counting instances already running", () => {
    const { on } = place([["zone", "UNIQUE"]], 3, { tasks: [task("old", "/c", "a")] });
    expect(on).toHaveLength(2);
    expect(on.some((n) => n === "a" || n === "b")).toBe(false);
  });

  it("CLUSTER with a value: every instance on that value", () => {
    const { on } = place([["rack", "CLUSTER", "r4"]], 3);
    expect(on).toEqual(["d", "d", "d"]);
  });

  it("CLUSTER without a value: the first placement fixes the value for all", () => {
    for (const seed of [1, 2, 3]) {
      const { on, nodes } = place([["zone", "CLUSTER"]], 12, { seed });
      expect(
        spreadOf(
          nodes,
          "zone",
          on.map((nodeId) => ({ nodeId })),
        ).size,
      ).toBe(1);
    }
  });

  it("CLUSTER without a value follows the instances already running", () => {
    const { on } = place([["zone", "CLUSTER"]], 3, { tasks: [task("old", "/c", "e")] });
    expect(on.every((n) => n === "e" || n === "f")).toBe(true);
  });

  it("GROUP_BY spreads evenly over every value, whatever order offers arrive in", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const { on, nodes } = place([["zone", "GROUP_BY"]], 7, { seed });
      const counts = [
        ...spreadOf(
          nodes,
          "zone",
          on.map((nodeId) => ({ nodeId })),
        ).values(),
      ];
      expect(counts).toHaveLength(3);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });

  it("GROUP_BY fills the emptiest values first when instances already lean to one", () => {
    const tasks = [task("t1", "/c", "a"), task("t2", "/c", "b")];
    const { on, nodes } = place([["zone", "GROUP_BY"]], 6, { tasks });
    expect(
      Object.fromEntries(
        spreadOf(
          nodes,
          "zone",
          on.map((nodeId) => ({ nodeId })),
        ),
      ),
    ).toEqual({ z2: 2, z3: 2 });
  });

  it("GROUP_BY n uses at most n values, evenly", () => {
    const { on, nodes } = place([["rack", "GROUP_BY", "2"]], 5);
    const counts = [
      ...spreadOf(
        nodes,
        "rack",
        on.map((nodeId) => ({ nodeId })),
      ).values(),
    ].sort();
    expect(counts).toEqual([2, 3]);
  });

  it("GROUP_BY n larger than the number of values spreads over all of them", () => {
    const { on, nodes } = place([["zone", "GROUP_BY", "5"]], 6);
    expect([
      ...spreadOf(
        nodes,
        "zone",
        on.map((nodeId) => ({ nodeId })),
      ).values(),
    ]).toEqual([2, 2, 2]);
  });

  it("LIKE matches the whole attribute value, not a part of it", () => {
    const nodes = [node("x", { attributes: { rack: "r1" } }), node("y", { attributes: { rack: "r10" } })];
    // A whole node per instance, so the set of nodes used is the set of nodes allowed.
    expect(place([["rack", "LIKE", "r1"]], 2, { nodes, cpus: 8 }).on).toEqual(["x"]);
    expect(place([["rack", "LIKE", "r1.*"]], 2, { nodes, cpus: 8 }).on.sort()).toEqual(["x", "y"]);
  });

  it("UNLIKE excludes whole-string matches and accepts nodes without the attribute", () => {
    const nodes = [
      node("x", { attributes: { rack: "r1" } }),
      node("y", { attributes: { rack: "r10" } }),
      node("z"),
    ];
    const { on } = place([["rack", "UNLIKE", "r1"]], 3, { nodes, cpus: 8 });
    expect(new Set(on)).toEqual(new Set(["y", "z"]));
  });

  it("a node without the attribute matches only UNLIKE", () => {
    const nodes = [node("bare")];
    for (const c of [
      ["rack", "IS", "r1"],
      ["rack", "LIKE", ".*"],
      ["rack", "CLUSTER"],
      ["rack", "GROUP_BY"],
      ["rack", "UNIQUE"],
      ["rack", "MAX_PER", "3"],
    ]) {
      const { on, result } = place([c], 1, { nodes });
      expect(on).toEqual([]);
      expect(result.pending[0]!.nodes.reasons[0]).toMatchObject({ kind: "constraint", nodes: 1 });
    }
    expect(place([["rack", "UNLIKE", "r1"]], 1, { nodes }).on).toEqual(["bare"]);
  });

  it("MAX_PER n: at most n instances per value", () => {
    const { on, nodes, result } = place([["zone", "MAX_PER", "2"]], 9);
    expect([
      ...spreadOf(
        nodes,
        "zone",
        on.map((nodeId) => ({ nodeId })),
      ).values(),
    ]).toEqual([2, 2, 2]);
    expect(result.pending[0]!.message).toBe("0 of 6 nodes fit: 6 excluded by [zone, MAX_PER, 2]");
  });

  it("IS compares text, and scalar attributes by number", () => {
    expect(place([["zone", "IS", "z2"]], 4, { cpus: 8 }).on.sort()).toEqual(["c", "d"]);
    expect(place([["gen", "IS", "2.0"]], 4, { cpus: 8 }).on.sort()).toEqual(["b", "d", "f"]);
  });

  it("the hostname field is the node's hostname", () => {
    expect(place([["hostname", "IS", "e.local"]], 2).on).toEqual(["e", "e"]);
  });

  it("combined constraints are all honoured", () => {
    const { a, nodes, result } = place(
      [
        ["zone", "UNLIKE", "z1"],
        ["hostname", "UNIQUE"],
        ["rack", "GROUP_BY"],
      ],
      4,
    );
    expect(result.launches).toHaveLength(4);
    expect(
      violations(
        nodes,
        [a],
        result.launches.map((l) => ({ ...task(l.taskId, "/c", l.nodeId), ports: l.ports })),
      ),
    ).toEqual([]);
  });
});

describe("job placement constraints", () => {
  const runOf = (constraints: unknown[]) => ({
    runId: "run-1",
    job: job("etl.load", { placement: { constraints } }),
    queuedAt: NOW,
  });
  const placeRun = (constraints: unknown[]) =>
    schedule(
      { nodes: cluster, apps: [], tasks: [], runs: [runOf(constraints)] },
      NOW,
      createRng(1),
    ).launches.map((l) => l.nodeId);

  it("IS and EQ pick nodes whose attribute equals the value", () => {
    expect(placeRun([{ attribute: "rack", operator: "IS", value: "r3" }])).toEqual(["c"]);
    expect(placeRun([{ attribute: "rack", operator: "EQ", value: "r5" }])).toEqual(["e"]);
  });

  it("LIKE and UNLIKE match whole values", () => {
    expect(placeRun([{ attribute: "rack", operator: "LIKE", value: "r[6]" }])).toEqual(["f"]);
    const on = placeRun([
      { attribute: "zone", operator: "UNLIKE", value: "z[12]" },
      { attribute: "hostname", operator: "LIKE", value: "e\\.local" },
    ]);
    expect(on).toEqual(["e"]);
  });
});

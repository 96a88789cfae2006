import { describe, expect, it } from "vitest";
import {
  compileConstraints,
  createRng,
  explanationMessage,
  InstanceCounts,
  Inventory,
  RefusalFilters,
  schedule,
  summarizeNodes,
  toFixed,
} from "../../../agent/scheduler/index.js";
import { app, desired, NOW, node, task } from "./fixtures.js";

describe("why is it pending?", () => {
  it("counts nodes by the resource they lack and the constraint that excludes them (SCHEDULING example)", () => {
    const nodes = [
      node("a", { resources: { cpus: 4, mem: 1024 }, attributes: { zone: "eu-1" } }),
      node("b", { resources: { cpus: 4, mem: 1500 }, attributes: { zone: "eu-1" } }),
      node("c", { resources: { cpus: 4, mem: 8192 }, attributes: { zone: "eu-2" } }),
    ];
    const web = app({ id: "/web", instances: 2, mem: 2048, constraints: [["zone", "IS", "eu-1"]] });
    const result = schedule({ nodes, apps: [desired(web)], tasks: [] }, NOW, createRng(1));
    expect(result.pending).toEqual([
      {
        kind: "app",
        id: "/web",
        version: "v1",
        waiting: 2,
        nodes: {
          total: 3,
          fit: 0,
          reasons: [
            { kind: "resource", resource: "mem", needed: 2048, nodes: 2 },
            { kind: "constraint", constraint: ["zone", "IS", "eu-1"], nodes: 1 },
          ],
        },
        holds: [],
        message: "0 of 3 nodes fit: 2 have < 2048 MB mem free, 1 excluded by [zone, IS, eu-1]",
      },
    ]);
  });

  it("says when refusal filters hold back nodes that would fit", () => {
    const inventory = Inventory.from([node("a"), node("b")]);
    const filters = new RefusalFilters(inventory);
    filters.add("services", 1, inventory.freeOf(1), 100, NOW + 5_000);
    const constraints = compileConstraints([]);
    const group = {
      key: "/x@v1",
      resources: toFixed({ cpus: 1, mem: 128 }),
      ports: { any: 0, exact: [] },
      constraints,
      counts: new InstanceCounts([]),
      strategy: "binpack" as const,
      remaining: 1,
    };
    const nodes = summarizeNodes(group, inventory, filters, "services", NOW);
    expect(nodes).toEqual({ total: 2, fit: 1, reasons: [{ kind: "refused", until: NOW + 5_000, nodes: 1 }] });
    expect(explanationMessage(nodes, [], NOW)).toBe(
      "1 of 2 nodes fit: 1 held back by refusal filters (for up to 5 s)",
    );
  });

  it("says when restart backoff holds the launch", () => {
    const a = app({ id: "/crashy", backoffSeconds: 10, backoffFactor: 2 });
    const failed = [
      task("f1", "/crashy", "a", { state: "FAILED", endedAt: NOW - 2_000 }),
      task("f2", "/crashy", "a", { state: "FAILED", endedAt: NOW - 1_000 }),
    ];
    const result = schedule({ nodes: [node("a")], apps: [desired(a)], tasks: failed }, NOW, createRng(1));
    expect(result.launches).toEqual([]);
    expect(result.pending[0]!.holds).toEqual([{ kind: "backoff", until: NOW + 19_000, failures: 2 }]);
    expect(result.pending[0]!.message).toBe(
      "1 of 1 nodes fit; launch delayed by restart backoff for 19 s after 2 failures",
    );
  });

  it("says which dependency the app waits for", () => {
    const db = app({ id: "/prod/db", cpus: 100 });
    const web = app({ id: "/prod/web", dependencies: ["db"] });
    const result = schedule(
      { nodes: [node("a")], apps: [desired(db), desired(web)], tasks: [] },
      NOW,
      createRng(1),
    );
    const messages = Object.fromEntries(result.pending.map((p) => [p.id, p.message]));
    expect(messages).toEqual({
      "/prod/db": "0 of 1 nodes fit: 1 has < 100 cpus free",
      "/prod/web": "1 of 1 nodes fit; waiting for dependency /prod/db to be healthy (0 of 1 healthy)",
    });
  });
});

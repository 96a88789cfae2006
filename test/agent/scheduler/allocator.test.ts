import { describe, expect, it } from "vitest";
import {
  allocate,
  createRng,
  type Framework,
  Inventory,
  RefusalFilters,
  type Resources,
  schedule,
  toFixed,
} from "../../../agent/scheduler/index.js";
import { app, desired, job, NOW, node } from "./fixtures.js";

/** A framework that launches one task of a fixed size per offer while it has tasks left. */
function greedy(id: string, size: Resources, tasks = 100, weight = 1): Framework & { launched: number } {
  let n = 0;
  return {
    id,
    weight,
    get launched() {
      return n;
    },
    hasDemand: () => n < tasks,
    consider(offer) {
      const r = offer.resources;
      const fits = size.cpus <= r.cpus && size.mem <= r.mem;
      if (!fits) return { launches: [] };
      n++;
      return { launches: [{ taskId: `${id}-${n}`, resources: size, ports: [] }] };
    },
  };
}

const drfNode = node("n", { resources: { cpus: 9, mem: 18 * 1024 } });

describe("the allocator", () => {
  it("follows the DRF paper: 9 cpus, 18 GB; A ⟨1 cpu, 4 GB⟩ and B ⟨3 cpus, 1 GB⟩ run 3 and 2 tasks", () => {
    const inventory = Inventory.from([drfNode]);
    const a = greedy("A", toFixed({ cpus: 1, mem: 4096 }));
    const b = greedy("B", toFixed({ cpus: 3, mem: 1024 }));
    const result = allocate(inventory, [a, b], {
      now: NOW,
      rng: createRng(1),
      filters: new RefusalFilters(inventory),
    });
    expect([a.launched, b.launched]).toEqual([3, 2]);
    expect(result.shares.A).toBeCloseTo(2 / 3);
    expect(result.shares.B).toBeCloseTo(2 / 3);
  });

  it("gives the same answer with the built-in services and jobs frameworks", () => {
    const result = schedule(
      {
        nodes: [drfNode],
        apps: [desired(app({ id: "/a", instances: 10, cpus: 1, mem: 4096 }))],
        tasks: [],
        runs: Array.from({ length: 10 }, (_, k) => ({
          runId: `r${k}`,
          job: job("b", { cpus: 3, mem: 1024 }),
          queuedAt: NOW,
        })),
      },
      NOW,
      createRng(3),
    );
    const count = (fw: string) => result.launches.filter((l) => l.framework === fw).length;
    expect([count("services"), count("jobs")]).toEqual([3, 2]);
  });

  it("divides the dominant share by the weight: weight 2 is entitled to twice the share", () => {
    const inventory = Inventory.from([node("n", { resources: { cpus: 12, mem: 12 * 1024 } })]);
    const a = greedy("A", toFixed({ cpus: 1, mem: 1024 }), 100, 2);
    const b = greedy("B", toFixed({ cpus: 1, mem: 1024 }), 100, 1);
    allocate(inventory, [a, b], { now: NOW, rng: createRng(1), filters: new RefusalFilters(inventory) });
    expect([a.launched, b.launched]).toEqual([8, 4]);
  });

  it("counts resources a framework already holds when ordering by DRF", () => {
    const inventory = Inventory.from([node("n", { resources: { cpus: 4, mem: 4096 } })]);
    const a = greedy("A", toFixed({ cpus: 1, mem: 1024 }));
    const b = greedy("B", toFixed({ cpus: 1, mem: 1024 }));
    inventory.occupy(0, toFixed({ cpus: 2, mem: 2048 }));
    allocate(inventory, [a, b], {
      now: NOW,
      rng: createRng(1),
      filters: new RefusalFilters(inventory),
      allocated: new Map([["A", toFixed({ cpus: 2, mem: 2048 })]]),
    });
    expect([a.launched, b.launched]).toEqual([0, 2]);
  });

  it("visits nodes in an order that depends only on the seed", () => {
    const nodes = Array.from({ length: 20 }, (_, i) => node(`n${i}`, { resources: { cpus: 1, mem: 1024 } }));
    const firstNode = (seed: number) => {
      const inventory = Inventory.from(nodes);
      const seen: string[] = [];
      const probe: Framework = {
        id: "probe",
        weight: 1,
        hasDemand: () => seen.length < 20,
        consider(offer) {
          seen.push(offer.nodeId);
          return { launches: [], refuseSeconds: 0 };
        },
      };
      allocate(inventory, [probe], {
        now: NOW,
        rng: createRng(seed),
        filters: new RefusalFilters(inventory),
      });
      return seen;
    };
    expect(firstNode(5)).toEqual(firstNode(5));
    expect(firstNode(5)).not.toEqual(firstNode(6));
    expect(new Set(firstNode(5)).size).toBe(20);
  });

  it("lets a third framework plug in through schedule() without touching the allocator", () => {
    const batch = greedy("batch", toFixed({ cpus: 1, mem: 512 }), 2);
    const result = schedule(
      {
        nodes: [node("a")],
        apps: [desired(app({ id: "/web", instances: 2 }))],
        tasks: [],
        frameworks: [batch],
      },
      NOW,
      createRng(1),
    );
    expect(result.launches.filter((l) => l.framework === "batch").map((l) => l.taskId)).toEqual([
      "batch-1",
      "batch-2",
    ]);
    expect(result.launches.filter((l) => l.framework === "services")).toHaveLength(2);
  });

  it("stops offering a node to a framework once it declined it in the round", () => {
    const inventory = Inventory.from([node("a")]);
    let offers = 0;
    const picky: Framework = {
      id: "picky",
      weight: 1,
      hasDemand: () => true,
      consider() {
        offers++;
        return { launches: [], refuseSeconds: 0 };
      },
    };
    const result = allocate(inventory, [picky], {
      now: NOW,
      rng: createRng(1),
      filters: new RefusalFilters(inventory),
    });
    expect(offers).toBe(1);
    expect(result.rounds).toBe(1);
  });
});

/**
 * The free resources an agent reports with its inventory: the node's total minus what its
 * running tasks (and tasks being killed) hold, ports included; ended tasks give everything
 * back; never below zero, never more port ranges than the contract allows.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { freeResources } from "../../../agent/daemon/free-resources.js";
import type { TaskState } from "../../../agent/scheduler/tasks.js";
import { InventorySchema } from "../../../gateway/contract/agent.js";

const TOTAL = { cpus: 4, mem: 4096, disk: 10_000, ports: [[31000, 31009]] as [number, number][] };

const task = (state: TaskState, cpus: number, mem: number, ports: number[] = [], disk = 0) => ({
  state,
  spec: { resources: { cpus, mem, disk, gpus: 0 }, ports: ports.map((port) => ({ port })) },
});

describe("free resources of the node", () => {
  it("are the total minus what running, starting and dying tasks hold; ended tasks hold nothing", () => {
    const free = freeResources(TOTAL, [
      task("RUNNING", 1, 512, [31000], 100),
      task("STAGING", 0.5, 128, [31005]),
      task("KILLING", 0.25, 64, [31009]),
      task("FAILED", 2, 2048, [31001]),
      task("KILLED", 2, 2048, [31002]),
      { state: "RUNNING", spec: undefined }, // an unreadable spec never launched
    ]);
    expect(free).toEqual({
      cpus: 2.25,
      mem: 3392,
      disk: 9900,
      ports: [
        [31001, 31004],
        [31006, 31008],
      ],
    });
  });

  it("do not drift the way binary fractions do, and never go below zero", () => {
    const tenths = Array.from({ length: 3 }, () => task("RUNNING", 0.1, 32));
    expect(freeResources({ ...TOTAL, cpus: 0.3 }, tenths).cpus).toBe(0);
    expect(freeResources({ ...TOTAL, cpus: 1 }, tenths).cpus).toBe(0.7);
    expect(freeResources({ ...TOTAL, mem: 64 }, tenths).mem).toBe(0);
  });

  it("report gpus only for a node that has them", () => {
    expect(freeResources(TOTAL, [])).not.toHaveProperty("gpus");
    const gpu = {
      state: "RUNNING" as const,
      spec: { resources: { cpus: 1, mem: 1, disk: 0, gpus: 1 }, ports: [] },
    };
    expect(freeResources({ ...TOTAL, gpus: 2 }, [gpu]).gpus).toBe(1);
  });

  it("keep the largest free port ranges when they are too fragmented for one report", () => {
    // 31000–31299 with every third port taken: 100 ranges of 2, then one long range at the end.
    const taken = Array.from({ length: 100 }, (_, i) => 31002 + i * 3);
    const free = freeResources({ ...TOTAL, ports: [[31000, 31400]] }, [task("RUNNING", 0, 0, taken)]);
    expect(free.ports).toHaveLength(64);
    expect(free.ports.at(-1)).toEqual([31300, 31400]);
    expect(InventorySchema.safeParse({ resources: TOTAL, free }).success).toBe(true);
  });

  it("never exceed the total, and give back exactly what the tasks hold when they fit", () => {
    const stateArb = fc.constantFrom<TaskState>("STAGING", "RUNNING", "KILLING", "FINISHED", "LOST");
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            state: stateArb,
            cpus: fc.integer({ min: 0, max: 2_000 }).map((n) => n / 1000),
            mem: fc.integer({ min: 0, max: 2_048 }),
            ports: fc.uniqueArray(fc.integer({ min: 31000, max: 31009 }), { maxLength: 3 }),
          }),
          { maxLength: 8 },
        ),
        (tasks) => {
          const holding = tasks.filter((t) => ["STAGING", "RUNNING", "KILLING"].includes(t.state));
          const free = freeResources(
            TOTAL,
            tasks.map((t) => task(t.state, t.cpus, t.mem, t.ports)),
          );
          const cpusHeld = holding.reduce((s, t) => s + Math.round(t.cpus * 1000), 0);
          const memHeld = holding.reduce((s, t) => s + t.mem, 0);
          expect(free.cpus).toBe(Math.max(0, 4000 - cpusHeld) / 1000);
          expect(free.mem).toBe(Math.max(0, 4096 - memHeld));
          const freePorts = free.ports.flatMap(([a, b]) =>
            Array.from({ length: b - a + 1 }, (_, i) => a + i),
          );
          const held = new Set(holding.flatMap((t) => t.ports));
          expect(freePorts).toEqual(
            Array.from({ length: 10 }, (_, i) => 31000 + i).filter((p) => !held.has(p)),
          );
        },
      ),
    );
  });
});

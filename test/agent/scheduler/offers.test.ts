import { describe, expect, it } from "vitest";
import {
  Inventory,
  OfferBook,
  RefusalFilters,
  SchedulerError,
  toFixed,
} from "../../../agent/scheduler/index.js";
import { NOW, node } from "./fixtures.js";

function setup() {
  const inventory = Inventory.from([node("a"), node("b")]);
  const filters = new RefusalFilters(inventory);
  return { inventory, filters, book: new OfferBook(inventory, filters) };
}

describe("offers", () => {
  it("hold the node's free resources until answered, and a node has one offer at a time", () => {
    const { inventory, book } = setup();
    const offer = book.make(0, "services");
    expect(offer.resources).toEqual(toFixed({ cpus: 8, mem: 16384, disk: 100_000 }));
    expect(offer.ports.size).toBe(100);
    expect(inventory.freeOf(0)).toEqual(toFixed({}));
    expect(inventory.freePorts[0]!.size).toBe(0);
    expect(() => book.make(0, "jobs")).toThrow(/already has offer/);
  });

  it("accept a subset and return the rest to the node", () => {
    const { inventory, book } = setup();
    const offer = book.make(0, "services");
    const result = book.accept(offer.id, [
      { taskId: "t1", resources: toFixed({ cpus: 2, mem: 1024 }), ports: [31005] },
    ]);
    expect(result.accepted.map((l) => l.taskId)).toEqual(["t1"]);
    expect(inventory.freeOf(0)).toEqual(toFixed({ cpus: 6, mem: 15360, disk: 100_000 }));
    expect(inventory.freePorts[0]!.has(31005)).toBe(false);
    expect(inventory.freePorts[0]!.size).toBe(99);
  });

  it("refuse launches that exceed what is left or reuse a port, and keep the others", () => {
    const { book } = setup();
    const offer = book.make(1, "services");
    const result = book.accept(offer.id, [
      { taskId: "big", resources: toFixed({ cpus: 9 }), ports: [] },
      { taskId: "ok", resources: toFixed({ cpus: 4 }), ports: [31000] },
      { taskId: "dup", resources: toFixed({ cpus: 1 }), ports: [31000] },
      { taskId: "far", resources: toFixed({ cpus: 1 }), ports: [8080] },
    ]);
    expect(result.accepted.map((l) => l.taskId)).toEqual(["ok"]);
    expect(result.rejected.map((r) => r.launch.taskId)).toEqual(["big", "dup", "far"]);
  });

  it("can be used once: a second answer to the same offer id is an error", () => {
    const { book } = setup();
    const offer = book.make(0, "services");
    book.decline(offer.id, NOW, 0);
    expect(() => book.decline(offer.id, NOW)).toThrow(SchedulerError);
    expect(() => book.accept(offer.id, [])).toThrow(/not outstanding/);
  });

  it("declined with a filter are not re-offered while the node's resources fit inside the refused ones", () => {
    const { inventory, filters, book } = setup();
    book.decline(book.make(0, "services").id, NOW);
    const free = () => inventory.freeOf(0);
    const ports = () => inventory.freePorts[0]!.size;
    expect(filters.blocks("services", 0, free(), ports(), NOW + 4_999)).toBe(true);
    expect(filters.blocks("jobs", 0, free(), ports(), NOW)).toBe(false);
    expect(filters.blocks("services", 0, free(), ports(), NOW + 5_000)).toBe(false);
  });

  it("declined with a filter are offered again when the node gains room or the framework revives", () => {
    const { inventory, filters, book } = setup();
    inventory.occupy(0, toFixed({ cpus: 2 }));
    book.decline(book.make(0, "services").id, NOW, 30);
    expect(filters.blocks("services", 0, inventory.freeOf(0), 100, NOW + 1000)).toBe(true);
    inventory.release(0, toFixed({ cpus: 2 }));
    expect(filters.blocks("services", 0, inventory.freeOf(0), 100, NOW + 1000)).toBe(false);
    inventory.occupy(0, toFixed({ cpus: 2 }));
    filters.revive("services");
    expect(filters.blocks("services", 0, inventory.freeOf(0), 100, NOW + 1000)).toBe(false);
  });

  it("outlive a cycle as records and are restored for the same node", () => {
    const { inventory, filters, book } = setup();
    book.decline(book.make(1, "jobs").id, NOW, 10);
    const records = filters.toRecords(NOW);
    expect(records).toEqual([
      expect.objectContaining({ frameworkId: "jobs", nodeId: "b", until: NOW + 10_000 }),
    ]);
    const again = RefusalFilters.restore(records, inventory);
    expect(again.blocks("jobs", 1, inventory.freeOf(1), 100, NOW + 1)).toBe(true);
  });

  it("are rescinded when their node goes away, and the node is never offered again", () => {
    const { inventory, book } = setup();
    const offer = book.make(1, "services");
    expect(book.removeNode("b").map((o) => o.id)).toEqual([offer.id]);
    expect(book.outstanding).toBe(0);
    expect(() => book.accept(offer.id, [])).toThrow(/not outstanding/);
    expect(() => book.make(1, "services")).toThrow(/no node/);
    expect(inventory.totals()).toEqual(toFixed({ cpus: 8, mem: 16384, disk: 100_000 }));
  });

  it("return their resources when rescinded for a node that stays", () => {
    const { inventory, book } = setup();
    const offer = book.make(0, "services");
    book.rescind(offer.id);
    expect(inventory.freeOf(0)).toEqual(toFixed({ cpus: 8, mem: 16384, disk: 100_000 }));
  });
});

describe("the node inventory", () => {
  it("never lets a launch over-commit a node or take a port twice", () => {
    const inventory = Inventory.from([node("a", { resources: { cpus: 1, mem: 512 } })]);
    inventory.allocate(0, toFixed({ cpus: 1, mem: 256 }), [31000]);
    expect(() => inventory.allocate(0, toFixed({ cpus: 0.001 }))).toThrow(/does not have/);
    expect(() => inventory.allocate(0, toFixed({ mem: 1 }), [31000])).toThrow(SchedulerError);
  });

  it("rejects duplicate node ids and malformed port ranges", () => {
    expect(() => Inventory.from([node("a"), node("a")])).toThrow(/used twice/);
    expect(() => Inventory.from([node("a", { ports: [[5, 1]] })])).toThrow(/INVALID|not within/);
  });
});

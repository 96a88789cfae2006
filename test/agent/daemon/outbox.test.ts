/**
 * The outbox delivers status updates at least once: oldest first, in batches of at most
 * 1,000, deleting only what the gateway acknowledged; it keeps everything through an outage
 * and a restart; a batch the gateway refuses is narrowed down to the one bad update.
 */
import { afterEach, describe, expect, it } from "vitest";
import { GatewayError } from "../../../agent/daemon/gateway-client.js";
import { ulidFactory } from "../../../agent/daemon/ids.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import { Outbox } from "../../../agent/daemon/outbox.js";
import { LocalStore } from "../../../agent/daemon/store.js";
import { daemonTimers } from "../../../agent/daemon/timers.js";
import type { StatusAck, StatusBatch, StatusUpdate } from "../../../gateway/contract/agent.js";
import { waitFor } from "../../helpers/agent.js";
import { tempStore } from "./support.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const newId = ulidFactory(() => Date.now());
const update = (i: number): StatusUpdate => ({
  id: newId(),
  kind: "task",
  at: 1_000 + i,
  taskId: `t${i}`,
  appId: "/web",
  state: "RUNNING",
  ports: [],
});

function outbox(store: LocalStore, status: (b: StatusBatch) => Promise<StatusAck>) {
  const box = new Outbox({
    store,
    client: { status },
    timers: daemonTimers,
    logger: silentLogger,
    onUnauthorized: () => {},
    backoff: { baseMs: 10, capMs: 50 },
  });
  cleanups.unshift(() => box.stop());
  return box;
}

describe("outbox", () => {
  it("sends the oldest first in batches of at most 1,000 and drops only acknowledged ids", async () => {
    const t = await tempStore();
    cleanups.push(t.remove);
    const all = Array.from({ length: 2_500 }, (_, i) => update(i));
    await t.store.enqueue(all);
    const batches: string[][] = [];
    const delivered = new Set<string>();
    const box = outbox(t.store, async (b) => {
      batches.push(b.updates.map((u) => u.id));
      // The first answer acknowledges only half of its batch: the rest must come again.
      const ids =
        batches.length === 1 ? b.updates.slice(0, 500).map((u) => u.id) : b.updates.map((u) => u.id);
      for (const id of ids) delivered.add(id);
      return { acknowledged: ids, duplicates: [] };
    });
    box.start();
    await waitFor("every update acknowledged", async () => (await t.store.outboxSize()) === 0);
    expect(batches.every((b) => b.length <= 1_000)).toBe(true);
    expect(batches[0]).toEqual(all.slice(0, 1_000).map((u) => u.id));
    expect(batches[1]![0]).toBe(all[500]!.id); // the unacknowledged half, first in line
    expect(delivered).toEqual(new Set(all.map((u) => u.id)));
  });

  it("keeps every update through an outage and a restart of the agent, then delivers them", async () => {
    const t = await tempStore();
    cleanups.push(t.remove);
    const queued = Array.from({ length: 30 }, (_, i) => update(i));
    await t.store.enqueue(queued);
    let calls = 0;
    const down = outbox(t.store, async () => {
      calls++;
      throw new GatewayError("unreachable", "connection refused");
    });
    down.start();
    await waitFor("a few retries", () => calls >= 3);
    expect(await down.flush(100)).toBe(false); // the stop's flush gives up at its deadline
    await t.store.close();

    const reopened = await LocalStore.open(t.dir);
    cleanups.push(() => reopened.close());
    expect(await reopened.outboxSize()).toBe(30);
    const got: string[] = [];
    const up = outbox(reopened, async (b) => {
      got.push(...b.updates.map((u) => u.id));
      return { acknowledged: b.updates.map((u) => u.id), duplicates: [] };
    });
    up.start();
    await waitFor("delivered after the restart", async () => (await reopened.outboxSize()) === 0);
    expect(got).toEqual(queued.map((u) => u.id));
  });

  it("narrows a refused batch down to the bad update, drops it and delivers the rest", async () => {
    const t = await tempStore();
    cleanups.push(t.remove);
    const queued = Array.from({ length: 9 }, (_, i) => update(i));
    await t.store.enqueue(queued);
    const bad = queued[6]!.id;
    const accepted = new Set<string>();
    const box = outbox(t.store, async (b) => {
      if (b.updates.some((u) => u.id === bad)) throw new GatewayError("rejected", "400 invalid", 400);
      for (const u of b.updates) accepted.add(u.id);
      return { acknowledged: b.updates.map((u) => u.id), duplicates: [] };
    });
    box.start();
    await waitFor("the outbox drained", async () => (await t.store.outboxSize()) === 0);
    expect([...accepted].sort()).toEqual(
      queued
        .map((u) => u.id)
        .filter((id) => id !== bad)
        .sort(),
    );
  });

  it("sends the node's inventory with the next batch, and again only when it changes", async () => {
    const t = await tempStore();
    cleanups.push(t.remove);
    const batches: StatusBatch[] = [];
    const box = outbox(t.store, async (b) => {
      batches.push(b);
      return { acknowledged: b.updates.map((u) => u.id), duplicates: [] };
    });
    const inventory = {
      resources: { cpus: 2, mem: 1024, disk: 0, ports: [[31000, 31010]] as [number, number][] },
      attributes: {},
    };
    box.setInventory(inventory);
    box.start();
    await waitFor("the inventory sent", () => batches.length === 1);
    expect(batches[0]).toEqual({ updates: [], inventory });
    box.setInventory({ ...inventory }); // the same: nothing to send
    await t.store.enqueue([update(1)]);
    box.wake();
    await waitFor("the update sent", () => batches.length === 2);
    expect(batches[1]!.inventory).toBeUndefined();
    box.setInventory({ ...inventory, attributes: { zone: "b" } });
    await waitFor("the changed inventory sent", () => batches.length === 3);
    expect(batches[2]!.inventory?.attributes).toEqual({ zone: "b" });
  });
});

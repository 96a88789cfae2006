/**
 * The scheduling lease from the agent's side, on a manual clock: it holds the lease only
 * until its own clock passes request start + ttl, renews every ttl/3, gives the role up the
 * moment a renewal fails for too long or the gateway calls its epoch stale, and releases
 * the lease when it stops.
 */
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../../agent/daemon/gateway-client.js";
import { LeaseKeeper } from "../../../agent/daemon/lease.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import { ManualTimers } from "../../../agent/health/timers.js";
import type { Lease } from "../../../gateway/contract/agent.js";

function setup(answer: (body: { release?: boolean }, at: number) => Lease) {
  const timers = new ManualTimers(0);
  const changes: [boolean, number][] = [];
  const calls: { at: number; release: boolean }[] = [];
  const keeper = new LeaseKeeper({
    client: {
      lease: async (body) => {
        calls.push({ at: timers.now(), release: body.release === true });
        return answer(body, timers.now());
      },
    },
    timers,
    logger: silentLogger,
    leaseMs: 15_000,
    onChange: (holder, epoch) => changes.push([holder, epoch]),
    onUnauthorized: () => {},
    random: () => 0.5,
  });
  return { timers, keeper, changes, calls };
}

const held = (epoch: number, at: number): Lease => ({
  holder: true,
  epoch,
  expiresAt: at + 15_000,
  ttlMs: 15_000,
});

describe("lease keeper", () => {
  it("takes the lease, renews it every ttl/3, and counts as holder only while its own clock allows", async () => {
    let up = true;
    const s = setup((_b, at) => {
      if (!up) throw new GatewayError("unreachable", "connection refused");
      return held(4, at);
    });
    s.keeper.start();
    await s.timers.advance(0);
    expect(s.keeper.isHolder()).toBe(true);
    expect(s.keeper.epoch).toBe(4);
    expect(s.changes).toEqual([[true, 4]]);
    await s.timers.advance(10_000);
    expect(s.calls.map((c) => c.at)).toEqual([0, 5_000, 10_000]);

    up = false; // renewals fail from now on; the last one succeeded at 10 s
    await s.timers.advance(14_999);
    expect(s.keeper.isHolder()).toBe(true);
    await s.timers.advance(1);
    expect(s.keeper.isHolder()).toBe(false); // 10 s + 15 s ttl, on the agent's own clock
    await s.timers.advance(5_000);
    expect(s.changes).toEqual([
      [true, 4],
      [false, 4],
    ]);
    await s.keeper.stop(true);
  });

  it("gives the role up at once when told its epoch is stale, and learns the new epoch when it wins again", async () => {
    let epoch = 1;
    const s = setup((_b, at) => held(epoch, at));
    s.keeper.start();
    await s.timers.advance(0);
    epoch = 2;
    s.keeper.lost();
    expect(s.keeper.isHolder()).toBe(false);
    await s.timers.advance(0);
    expect(s.keeper.isHolder()).toBe(true);
    expect(s.changes).toEqual([
      [true, 1],
      [false, 1],
      [true, 2],
    ]);
    await s.keeper.stop(false);
  });

  it("keeps asking while another agent holds the lease, and releases its own when it stops", async () => {
    let mine = false;
    const s = setup((body, at) =>
      body.release
        ? { holder: false, epoch: 3, expiresAt: null, ttlMs: 0 }
        : mine
          ? held(3, at)
          : { holder: false, epoch: 2, expiresAt: at + 9_000, ttlMs: 9_000 },
    );
    s.keeper.start();
    await s.timers.advance(0);
    expect(s.keeper.isHolder()).toBe(false);
    mine = true;
    await s.timers.advance(5_000);
    expect(s.keeper.isHolder()).toBe(true);
    await s.keeper.stop(true);
    expect(s.calls.at(-1)).toMatchObject({ release: true });
    expect(s.keeper.isHolder()).toBe(false);
  });
});

/**
 * The desired-state poller on a manual clock: conditional long-polls, documents verified
 * before they are kept, capped exponential backoff with jitter while the gateway is away
 * (reset by the first answer), and a refused credential handed up.
 */
import { describe, expect, it } from "vitest";
import { Backoff } from "../../../agent/daemon/backoff.js";
import { type DesiredStatePoll, GatewayError } from "../../../agent/daemon/gateway-client.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import { Poller } from "../../../agent/daemon/poller.js";
import { ManualTimers } from "../../../agent/health/timers.js";
import type { DesiredState } from "../../../gateway/contract/agent.js";
import { AGENT, CLUSTER, desired } from "./support.js";

type Call = { at: number; revision?: number; waitSeconds?: number };

function setup(
  answers: (call: Call) => DesiredStatePoll | Promise<DesiredStatePoll>,
  longPoll = true,
  agentStaleMs = 30_000,
) {
  const timers = new ManualTimers(0);
  const calls: Call[] = [];
  const stored: number[] = [];
  const seen: number[] = [];
  const refused: Error[] = [];
  const poller = new Poller({
    client: {
      desiredState: async (o = {}) => {
        const call: Call = {
          at: timers.now(),
          ...(o.revision !== undefined && { revision: o.revision }),
          ...(o.waitSeconds && { waitSeconds: o.waitSeconds }),
        };
        calls.push(call);
        return answers(call);
      },
    },
    store: { saveDesiredState: async (d: DesiredState) => void stored.push(d.revision) },
    identity: { agentId: AGENT, clusterId: CLUSTER },
    settings: { longPoll, agentStaleMs, maxWaitSeconds: 30 },
    timers,
    logger: silentLogger,
    onDesiredState: (d) => seen.push(d.revision),
    onUnauthorized: (e) => refused.push(e),
    intervalMs: 2_000,
    waitSeconds: 25,
    backoff: { baseMs: 500, capMs: 8_000 },
    random: () => 1 - Number.EPSILON, // the top of every jitter range
  });
  return { timers, calls, stored, seen, refused, poller };
}

describe("desired-state poller", () => {
  it("asks conditionally, long-polls once it is in sync, and keeps each new document", async () => {
    let revision = 3;
    const s = setup((c) =>
      c.revision === revision ? { status: 304, revision } : { status: 200, doc: desired(revision, []) },
    );
    s.poller.start();
    await s.timers.advance(0);
    revision = 4;
    // This fake answers a long-poll at once, so the poller waits its interval before the next.
    await s.timers.advance(3_000);
    await s.poller.stop();
    expect(s.calls[0]).toEqual({ at: 0 }); // nothing in hand: unconditional, and no wait the first time
    expect(s.calls[1]).toMatchObject({ revision: 3, waitSeconds: 15 }); // 25 asked, agentStaleMs / 2 allowed
    expect(s.stored).toEqual([3, 4]);
    expect(s.seen).toEqual([3, 4]);
    expect(s.poller.current?.revision).toBe(4);
  });

  it("ignores a document that breaks the contract, names another agent, or is older, and keeps the last good one", async () => {
    const answers: (() => DesiredStatePoll)[] = [
      () => ({ status: 200, doc: desired(5, []) }),
      () => {
        throw new GatewayError("malformed", "the desired state does not match the contract");
      },
      () => ({ status: 200, doc: { ...desired(6, []), agentId: "ag_other" } }),
      () => ({ status: 200, doc: desired(4, []) }),
    ];
    const s = setup(() => (answers.shift() ?? (() => ({ status: 304, revision: 5 })))());
    s.poller.start();
    for (let i = 0; i < 6; i++) await s.timers.advance(10_000);
    await s.poller.stop();
    expect(s.seen).toEqual([5]);
    expect(s.stored).toEqual([5]);
    expect(s.poller.current?.revision).toBe(5);
  });

  it("backs off exponentially up to its cap while the gateway is away, and polls normally once it answers", async () => {
    let down = true;
    const s = setup(() => {
      if (down) throw new GatewayError("unreachable", "connection refused");
      return { status: 304, revision: 1 };
    }, false);
    s.poller.start(desired(1, []));
    for (let i = 0; i < 8; i++) await s.timers.advance(10_000);
    const gaps = s.calls.slice(1).map((c, i) => c.at - s.calls[i]!.at);
    expect(gaps.slice(0, 6)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 8_000]);
    down = false;
    const failed = s.calls.length;
    await s.timers.advance(20_000);
    await s.poller.stop();
    const back = s.calls.slice(failed);
    // The first answer is followed at once by the next poll, then the plain interval (+20 % jitter).
    const [first, ...rest] = back.slice(1).map((c, i) => c.at - back[i]!.at);
    expect(first).toBe(0);
    expect(rest.length).toBeGreaterThanOrEqual(3);
    expect(new Set(rest)).toEqual(new Set([2_400]));
  });

  it("retries at least every agentStaleMs / 2 while the gateway is away, so it is heard again soon after it returns", async () => {
    const s = setup(
      () => {
        throw new GatewayError("unreachable", "connection refused");
      },
      false,
      5_000,
    );
    s.poller.start(desired(1, []));
    for (let i = 0; i < 8; i++) await s.timers.advance(10_000);
    await s.poller.stop();
    const gaps = s.calls.slice(1).map((c, i) => c.at - s.calls[i]!.at);
    expect(gaps.slice(0, 6)).toEqual([500, 1_000, 2_000, 2_500, 2_500, 2_500]); // cap 8 s asked, 2.5 s allowed
  });

  it("hands a refused credential up instead of retrying it", async () => {
    const s = setup(() => {
      throw new GatewayError("unauthorized", "401 unknown credential", 401);
    });
    s.poller.start();
    await s.timers.advance(0);
    await s.poller.stop();
    expect(s.refused).toHaveLength(1);
  });
});

describe("backoff", () => {
  it("waits between base and min(cap, base × 2^n), and starts over after a success", () => {
    const lows = new Backoff({ baseMs: 100, capMs: 1_000, random: () => 0 });
    const highs = new Backoff({ baseMs: 100, capMs: 1_000, random: () => 0.999_999 });
    expect(Array.from({ length: 6 }, () => lows.next())).toEqual([100, 100, 100, 100, 100, 100]);
    expect(Array.from({ length: 6 }, () => highs.next())).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    highs.reset();
    expect(highs.next()).toBe(100);
  });
});

// The per-app limit on health kills: alone, and with monitors of many unhealthy tasks at once
// (the checker overloaded → everything looks unhealthy → only a few die).
import { describe, expect, it } from "vitest";
import { KillLimiter } from "../../../agent/health/kill-limiter.js";
import { type HealthEvent, HealthMonitor } from "../../../agent/health/monitor.js";
import { ManualTimers } from "../../../agent/health/timers.js";

describe("KillLimiter", () => {
  it("allows max(1, 10 % of the instances) kills per app at once", () => {
    const limiter = new KillLimiter();
    expect(limiter.allowance(1)).toBe(1);
    expect(limiter.allowance(5)).toBe(1);
    expect(limiter.allowance(20)).toBe(2);
    expect(limiter.allowance(100)).toBe(10);
    expect(limiter.tryAcquire("/web", "t1", 20)).toBe(true);
    expect(limiter.tryAcquire("/web", "t2", 20)).toBe(true);
    expect(limiter.tryAcquire("/web", "t3", 20)).toBe(false);
    expect(limiter.tryAcquire("/web", "t1", 20)).toBe(true); // asking again for a granted task
    expect(limiter.tryAcquire("/api", "a1", 20)).toBe(true); // another app has its own budget
    expect(limiter.inFlight("/web").sort()).toEqual(["t1", "t2"]);
  });

  it("frees a slot when the window has passed or when it is released", async () => {
    const timers = new ManualTimers();
    const limiter = new KillLimiter({ windowMs: 60_000, timers });
    expect(limiter.tryAcquire("/web", "t1", 5)).toBe(true);
    expect(limiter.tryAcquire("/web", "t2", 5)).toBe(false);
    await timers.advance(59_999);
    expect(limiter.tryAcquire("/web", "t2", 5)).toBe(false);
    await timers.advance(1);
    expect(limiter.tryAcquire("/web", "t2", 5)).toBe(true);
    limiter.release("/web", "t2");
    expect(limiter.tryAcquire("/web", "t3", 5)).toBe(true);
  });
});

describe("monitors sharing a KillLimiter", () => {
  it("kills one task of a 10-instance app when all turn unhealthy, the next only when the window has passed", async () => {
    const timers = new ManualTimers();
    const limiter = new KillLimiter({ windowMs: 100_000, timers });
    const kills: string[] = [];
    const deferred: HealthEvent[] = [];
    const monitors = Array.from({ length: 10 }, (_, i) => {
      const taskId = `web.${i}`;
      return new HealthMonitor({
        check: { gracePeriodSeconds: 0, intervalSeconds: 10, timeoutSeconds: 5, maxConsecutiveFailures: 3 },
        probe: async () => ({ ok: false, message: "timed out after 5 s" }),
        timers,
        killLimit: { limiter, appId: "/web", taskId, instances: () => 10 },
        onEvent: (e) => {
          if (e.type === "kill") kills.push(taskId);
          if (e.type === "kill-deferred") deferred.push(e);
        },
      });
    });
    for (const m of monitors) m.start();
    await timers.advance(20_000); // third failure of every task
    expect(kills).toEqual(["web.0"]);
    expect(deferred).toHaveLength(9);
    expect(deferred[0]).toMatchObject({ reason: expect.stringContaining("already being killed") });
    expect(monitors[1]!.status()).toMatchObject({ shouldKill: true, killed: false });

    await timers.advance(90_000); // t = 110 s, still inside the window: nobody else dies
    expect(kills).toEqual(["web.0"]);
    await timers.advance(10_000); // t = 120 s: the window of web.0's kill (granted at 20 s) has passed
    expect(kills).toEqual(["web.0", "web.1"]);
    for (const m of monitors) m.stop();
  });

  it("lets a deferred task that recovers live", async () => {
    const timers = new ManualTimers();
    const limiter = new KillLimiter({ timers });
    expect(limiter.tryAcquire("/web", "someone-else", 3)).toBe(true);
    const answers = [false, false, true];
    let i = 0;
    const events: string[] = [];
    const monitor = new HealthMonitor({
      check: { gracePeriodSeconds: 0, intervalSeconds: 1, maxConsecutiveFailures: 2 },
      probe: async () => ({ ok: answers[Math.min(i++, answers.length - 1)]!, message: "" }),
      timers,
      killLimit: { limiter, appId: "/web", taskId: "web.1", instances: () => 3 },
      onEvent: (e) => events.push(e.type),
    });
    monitor.start();
    await timers.advance(5_000);
    monitor.stop();
    expect(events.filter((t) => t !== "check")).toEqual(["unhealthy", "kill-deferred", "healthy"]);
    expect(monitor.status()).toMatchObject({ state: "healthy", shouldKill: false, killed: false });
  });
});

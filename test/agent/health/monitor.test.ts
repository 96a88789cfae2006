// The health monitor's rules on a manual clock: grace period, consecutive failures, 0 = never
// kill, timeouts, chained (never overlapping) checks, stop().
import { describe, expect, it } from "vitest";
import { type HealthEvent, HealthMonitor } from "../../../agent/health/monitor.js";
import { ManualTimers } from "../../../agent/health/timers.js";
import type { HealthCheckSpec, Probe, ProbeResult } from "../../../agent/health/types.js";
import type { HealthCheck } from "../../../universe/models/app.js";

const pass: ProbeResult = { ok: true, message: "HTTP 200" };
const fail: ProbeResult = { ok: false, message: "HTTP 500" };

/** A probe whose answers the test scripts; the last answer repeats. */
function scripted(...answers: ProbeResult[]) {
  const calls: number[] = [];
  let i = 0;
  let timers: ManualTimers | undefined;
  const probe: Probe = async () => {
    calls.push(timers?.now() ?? 0);
    const answer = answers[Math.min(i, answers.length - 1)]!;
    i++;
    return answer;
  };
  return { probe, calls, bind: (t: ManualTimers) => (timers = t) };
}

function setup(check: HealthCheckSpec, probe: Probe, startedAtOffset = 0) {
  const timers = new ManualTimers();
  const events: HealthEvent[] = [];
  const monitor = new HealthMonitor({
    check,
    probe,
    timers,
    startedAt: timers.now() + startedAtOffset,
    onEvent: (e) => events.push(e),
  });
  const types = () => events.filter((e) => e.type !== "check").map((e) => e.type);
  return { timers, events, monitor, types };
}

describe("grace period", () => {
  it("ignores failures during the grace period, then counts them", async () => {
    const script = scripted(fail);
    const { timers, monitor, types } = setup(
      { gracePeriodSeconds: 30, intervalSeconds: 10, timeoutSeconds: 5, maxConsecutiveFailures: 2 },
      script.probe,
    );
    script.bind(timers);
    monitor.start();
    await timers.advance(25_000); // checks at 0, 10 s, 20 s: all inside the grace period
    expect(monitor.status()).toMatchObject({
      state: "pending",
      consecutiveFailures: 0,
      ignoredFailures: 3,
      checks: 3,
    });
    await timers.advance(10_000); // 30 s: the first counted failure
    expect(monitor.status()).toMatchObject({ state: "unhealthy", consecutiveFailures: 1, shouldKill: false });
    await timers.advance(10_000); // 40 s: the second → kill
    expect(monitor.status()).toMatchObject({ consecutiveFailures: 2, shouldKill: true, killed: true });
    expect(types()).toEqual(["unhealthy", "kill"]);
    monitor.stop();
  });

  it("ends the grace period at the first success: a failure right after it counts", async () => {
    const script = scripted(pass, fail);
    const { timers, monitor, types } = setup(
      { gracePeriodSeconds: 300, intervalSeconds: 10, maxConsecutiveFailures: 1 },
      script.probe,
    );
    monitor.start();
    await timers.advance(0);
    expect(monitor.status().state).toBe("healthy");
    await timers.advance(10_000);
    expect(types()).toEqual(["healthy", "unhealthy", "kill"]);
  });

  it("counts the grace period from the task's start, not from the monitor's", async () => {
    const script = scripted(fail);
    // The task started 290 s ago (say, before an agent restart): 10 s of grace are left.
    const { timers, monitor } = setup(
      { gracePeriodSeconds: 300, intervalSeconds: 10, maxConsecutiveFailures: 3 },
      script.probe,
      -290_000,
    );
    monitor.start();
    await timers.advance(0);
    expect(monitor.status()).toMatchObject({ ignoredFailures: 1, consecutiveFailures: 0 });
    await timers.advance(10_000);
    expect(monitor.status()).toMatchObject({
      ignoredFailures: 1,
      consecutiveFailures: 1,
      state: "unhealthy",
    });
  });
});

describe("consecutive failures", () => {
  it("kills only after maxConsecutiveFailures failures in a row; a success resets the count", async () => {
    const script = scripted(pass, fail, fail, pass, fail, fail, fail);
    const { timers, monitor, types, events } = setup(
      { gracePeriodSeconds: 0, intervalSeconds: 1, maxConsecutiveFailures: 3 },
      script.probe,
    );
    monitor.start();
    await timers.advance(5_000); // pass, fail, fail, pass, fail, fail
    expect(monitor.status()).toMatchObject({ consecutiveFailures: 2, shouldKill: false, killed: false });
    await timers.advance(1_000); // third failure in a row
    expect(types()).toEqual(["healthy", "unhealthy", "healthy", "unhealthy", "kill"]);
    const kill = events.find((e) => e.type === "kill");
    expect(kill).toMatchObject({ consecutiveFailures: 3, reason: expect.stringContaining("HTTP 500") });
    // A killed task is checked no more.
    await timers.advance(10_000);
    expect(script.calls).toHaveLength(7);
    expect(timers.size).toBe(0);
  });

  it("never kills when maxConsecutiveFailures is 0, but reports the task unhealthy", async () => {
    const script = scripted(fail);
    const { timers, monitor, types } = setup(
      { gracePeriodSeconds: 0, intervalSeconds: 1, maxConsecutiveFailures: 0 },
      script.probe,
    );
    monitor.start();
    await timers.advance(100_000);
    expect(monitor.status()).toMatchObject({
      state: "unhealthy",
      consecutiveFailures: 101,
      shouldKill: false,
      killed: false,
    });
    expect(types()).toEqual(["unhealthy"]);
    monitor.stop();
  });

  it("uses Marathon's defaults: first check at once, then every 60 s, kill at the third failure after 300 s of grace", async () => {
    const script = scripted(fail);
    const { timers, monitor, types } = setup({ protocol: "HTTP" }, script.probe);
    script.bind(timers);
    monitor.start();
    await timers.advance(420_000);
    const start = script.calls[0]!;
    expect(script.calls.map((t) => (t - start) / 1000)).toEqual([0, 60, 120, 180, 240, 300, 360, 420]);
    expect(types()).toEqual(["unhealthy", "kill"]);
  });

  it("accepts the universe library's HealthCheck as it is", () => {
    const fromPackage: HealthCheck = {
      protocol: "MESOS_TCP",
      gracePeriodSeconds: 5,
      intervalSeconds: 2,
      timeoutSeconds: 1,
      maxConsecutiveFailures: 4,
      portIndex: 1,
    };
    const monitor = new HealthMonitor({ check: fromPackage, probe: scripted(pass).probe });
    expect(monitor.check).toMatchObject({
      protocol: "TCP",
      portIndex: 1,
      gracePeriodMs: 5000,
      intervalMs: 2000,
      timeoutMs: 1000,
      maxConsecutiveFailures: 4,
    });
    expect(() => new HealthMonitor({ check: { protocol: "COMMAND" }, probe: scripted(pass).probe })).toThrow(
      /command\.value/,
    );
  });
});

describe("timing", () => {
  it("fails and aborts a check that does not answer within the timeout", async () => {
    const timers = new ManualTimers();
    let aborted = 0;
    const hanging: Probe = (signal) =>
      new Promise((resolve) => {
        signal.addEventListener("abort", () => {
          aborted++;
          resolve({ ok: false, message: "aborted" });
        });
      });
    const events: HealthEvent[] = [];
    const monitor = new HealthMonitor({
      check: { gracePeriodSeconds: 0, intervalSeconds: 10, timeoutSeconds: 2, maxConsecutiveFailures: 2 },
      probe: hanging,
      timers,
      onEvent: (e) => events.push(e),
    });
    monitor.start();
    await timers.advance(1_999);
    expect(monitor.status().checks).toBe(0);
    await timers.advance(1);
    expect(monitor.status()).toMatchObject({
      checks: 1,
      lastResult: { ok: false, message: "timed out after 2 s" },
    });
    expect(aborted).toBe(1);
    await timers.advance(10_000);
    expect(events.filter((e) => e.type === "kill")).toHaveLength(1);
  });

  it("never overlaps checks: a check slower than the interval delays the next one", async () => {
    const timers = new ManualTimers();
    let active = 0;
    let maxActive = 0;
    const starts: number[] = [];
    // Each check takes 3 s; the interval is 1 s.
    const slow: Probe = () =>
      new Promise((resolve) => {
        active++;
        maxActive = Math.max(maxActive, active);
        starts.push(timers.now());
        timers.setTimeout(() => {
          active--;
          resolve(pass);
        }, 3000);
      });
    const monitor = new HealthMonitor({
      check: { intervalSeconds: 1, timeoutSeconds: 10, gracePeriodSeconds: 0 },
      probe: slow,
      timers,
    });
    monitor.start();
    await timers.advance(10_000);
    monitor.stop();
    expect(maxActive).toBe(1);
    const t0 = starts[0]!;
    expect(starts.map((t) => t - t0)).toEqual([0, 3000, 6000, 9000]);
  });

  it("waits delaySeconds before the first check", async () => {
    const script = scripted(pass);
    const { timers, monitor } = setup({ delaySeconds: 15, intervalSeconds: 60 }, script.probe);
    monitor.start();
    await timers.advance(14_999);
    expect(script.calls).toHaveLength(0);
    await timers.advance(1);
    expect(script.calls).toHaveLength(1);
  });
});

describe("start and stop", () => {
  it("is safe to start or stop twice, stops a check in flight, and stays stopped", async () => {
    const timers = new ManualTimers();
    let calls = 0;
    let aborted = false;
    const probe: Probe = (signal) =>
      new Promise((resolve) => {
        calls++;
        signal.addEventListener("abort", () => {
          aborted = true;
          resolve(fail);
        });
      });
    const events: HealthEvent[] = [];
    const monitor = new HealthMonitor({
      check: { intervalSeconds: 1, timeoutSeconds: 0, gracePeriodSeconds: 0, maxConsecutiveFailures: 1 },
      probe,
      timers,
      onEvent: (e) => events.push(e),
    });
    monitor.start();
    monitor.start();
    await timers.advance(0);
    expect(calls).toBe(1);
    monitor.stop();
    monitor.stop();
    expect(aborted).toBe(true);
    monitor.start();
    await timers.advance(60_000);
    expect(calls).toBe(1);
    expect(events).toEqual([]); // the aborted check is not reported after stop()
    expect(timers.size).toBe(0);
  });

  it("keeps checking when an event listener throws", async () => {
    const timers = new ManualTimers();
    const script = scripted(pass);
    const monitor = new HealthMonitor({
      check: { intervalSeconds: 1 },
      probe: script.probe,
      timers,
      onEvent: () => {
        throw new Error("listener bug");
      },
    });
    monitor.start();
    await timers.advance(3_000);
    expect(script.calls).toHaveLength(4);
    monitor.stop();
  });
});

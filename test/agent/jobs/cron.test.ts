import { describe, expect, it } from "vitest";
import { parseTrigger } from "../../../agent/jobs/ids.js";
import { Daemon, job, MINUTE, T0 } from "./daemon.js";

const HOUR = 60 * MINUTE;

/** Steps the daemon every `step` ms until `until`, each run finishing at once; returns the ticks run, as ISO. */
function ticksRun(d: Daemon, jobId: string, until: number, step = 10 * MINUTE): string[] {
  while (d.now < until) {
    d.advance(step).tick();
    d.finish(jobId);
  }
  return d
    .runsOf(jobId)
    .map((r) => parseTrigger(r.trigger))
    .map((t) => (t.kind === "cron" ? new Date(t.tickMs).toISOString() : t.kind));
}

const schedule = (fields: Record<string, unknown>) => ({ schedules: [{ id: "s", ...fields }] });

describe("jobs engine: cron schedules", () => {
  it("runs at 09:00 in Europe/Berlin on both sides of the spring DST change", () => {
    const d = new Daemon(
      [job("daily", schedule({ cron: "0 9 * * *", timezone: "Europe/Berlin" }))],
      Date.UTC(2026, 2, 27),
    );
    expect(ticksRun(d, "daily", Date.UTC(2026, 2, 31))).toEqual([
      "2026-03-27T08:00:00.000Z",
      "2026-03-28T08:00:00.000Z",
      "2026-03-29T07:00:00.000Z", // CEST from 29 March: 09:00 local is 07:00 UTC
      "2026-03-30T07:00:00.000Z",
    ]);
  });

  it("runs a 02:30 Europe/Berlin job once a day through both DST changes: after the gap in spring, once in the repeated hour in autumn", () => {
    const spring = new Daemon(
      [job("night", schedule({ cron: "30 2 * * *", timezone: "Europe/Berlin" }))],
      Date.UTC(2026, 2, 28),
    );
    expect(ticksRun(spring, "night", Date.UTC(2026, 2, 30, 12))).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:00:00.000Z", // 02:30 does not exist that night; it runs at 03:00 CEST
      "2026-03-30T00:30:00.000Z",
    ]);
    const autumn = new Daemon(
      [job("night", schedule({ cron: "30 2 * * *", timezone: "Europe/Berlin" }))],
      Date.UTC(2026, 9, 24),
    );
    expect(ticksRun(autumn, "night", Date.UTC(2026, 9, 26, 12))).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z", // 02:30 happens twice that night; it runs once
      "2026-10-26T01:30:00.000Z",
    ]);
  });

  it("starts a tick noticed within startingDeadlineSeconds, and skips one noticed later, saying why", () => {
    const def = job("hourly", schedule({ cron: "0 * * * *", startingDeadlineSeconds: 60 }));
    const onTime = new Daemon([def], T0 + 30_000).tick();
    expect(onTime.create.map((r) => [r.runId, r.trigger])).toEqual([[`hourly.cron-s-${T0}`, `cron:s:${T0}`]]);
    expect(onTime.launch.map((l) => l.taskId)).toEqual([`hourly.cron-s-${T0}.1`]);

    const late = new Daemon([def], T0 + 90_000);
    const missed = late.tick();
    expect(missed.create).toEqual([]);
    expect(missed.skipped).toEqual([
      {
        key: `hourly:s:${T0}:deadline`,
        jobId: "hourly",
        scheduleId: "s",
        tickAt: T0,
        reason:
          "schedule s: the tick of 2026-11-25T12:00:00.000Z was noticed 90s late, past its startingDeadlineSeconds (60)",
      },
    ]);
    expect(missed.wakeAt).toBe(T0 + HOUR);
    expect(
      late
        .at(T0 + HOUR + 5_000)
        .tick()
        .create.map((r) => r.trigger),
    ).toEqual([`cron:s:${T0 + HOUR}`]);
  });

  it("under FORBID skips a tick while a run of the job is active, and does not start it late once that run ends", () => {
    const d = new Daemon(
      [job("sync", schedule({ cron: "*/5 * * * *", concurrencyPolicy: "FORBID" }))],
      T0 + 1_000,
    );
    d.tick();
    d.report(`sync.cron-s-${T0}.1`, "RUNNING");
    const blocked = d.at(T0 + 5 * MINUTE + 1_000).tick();
    expect(blocked.create).toEqual([]);
    expect(blocked.skipped?.[0]?.reason).toBe(
      `schedule s: the tick of 2026-11-25T12:05:00.000Z was skipped because run sync.cron-s-${T0} was active (concurrencyPolicy FORBID)`,
    );
    d.advance(MINUTE).finish("sync").tick();
    expect(d.advance(MINUTE).tick().create).toEqual([]);
    expect(
      d
        .at(T0 + 10 * MINUTE + 1_000)
        .tick()
        .create.map((r) => r.trigger),
    ).toEqual([`cron:s:${T0 + 10 * MINUTE}`]);
    expect(d.runsOf("sync")).toHaveLength(2);
  });

  it("under ALLOW starts the next tick beside a run that is still active", () => {
    const d = new Daemon(
      [job("sync", schedule({ cron: "*/5 * * * *", concurrencyPolicy: "ALLOW" }))],
      T0 + 1_000,
    );
    d.tick();
    d.report(`sync.cron-s-${T0}.1`, "RUNNING");
    const next = d.at(T0 + 5 * MINUTE + 1_000).tick();
    expect(next.create.map((r) => r.runId)).toEqual([`sync.cron-s-${T0 + 5 * MINUTE}`]);
    expect(d.runsOf("sync").map((r) => r.state)).toEqual(["ACTIVE", "INITIAL"]);
  });

  it("starts nothing for a disabled schedule and does not wake for it", () => {
    const d = new Daemon([job("off", schedule({ cron: "* * * * *", enabled: false }))], T0 + 1_000);
    expect(d.tick()).toEqual({ create: [], launch: [], kill: [], transitions: [], skipped: [] });
  });

  it("after an outage runs only the newest tick still within the starting deadline, once", () => {
    const d = new Daemon([job("minutely", schedule({ cron: "* * * * *" }))], T0 + 1_000);
    d.tick();
    d.finish("minutely");
    // The agent was down for ten minutes; the deadline (900 s) still covers every missed tick.
    const back = d.at(T0 + 10 * MINUTE + 20_000).tick();
    expect(back.create.map((r) => r.trigger)).toEqual([`cron:s:${T0 + 10 * MINUTE}`]);
    expect(d.advance(10_000).tick().create).toEqual([]);
  });

  it("does not run a tick that passed before the job appeared, but runs the next", () => {
    const d = new Daemon([job("fresh", schedule({ cron: "0 * * * *" }), T0 + 5 * MINUTE)], T0 + 5 * MINUTE);
    expect(d.tick().create).toEqual([]);
    expect(
      d
        .at(T0 + HOUR)
        .tick()
        .create.map((r) => r.trigger),
    ).toEqual([`cron:s:${T0 + HOUR}`]);
  });

  it("keeps several schedules of one job apart, with a safe run id for an odd schedule id", () => {
    const d = new Daemon(
      [
        job("multi", {
          schedules: [
            { id: "every 5", cron: "*/5 * * * *" },
            { id: "hourly", cron: "0 * * * *" },
          ],
        }),
      ],
      T0 + 1_000,
    );
    const first = d.tick();
    expect(first.create.map((r) => r.trigger)).toEqual([`cron:every 5:${T0}`, `cron:hourly:${T0}`]);
    for (const r of first.create) expect(r.runId).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(
      d
        .at(T0 + 5 * MINUTE)
        .tick()
        .create.map((r) => r.trigger),
    ).toEqual([`cron:every 5:${T0 + 5 * MINUTE}`]);
  });
});

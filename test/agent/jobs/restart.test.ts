import { describe, expect, it } from "vitest";
import { evaluateJobs } from "../../../agent/jobs/engine.js";
import { triggerFromRunId } from "../../../agent/jobs/ids.js";
import { runFromReport } from "../../../agent/jobs/rebuild.js";
import type { RunRecord } from "../../../agent/jobs/types.js";
import { clone, Daemon, job, MINUTE, T0 } from "./daemon.js";

const world = () => [
  job("etl.extract", { schedules: [{ id: "five", cron: "*/5 * * * *", concurrencyPolicy: "FORBID" }] }),
  job("etl.transform", { dependencies: ["etl.extract"] }),
  job("etl.load", { dependencies: ["etl.transform"] }),
];

/** Twenty minutes of a pipeline on a 5-minute schedule, with one failed transform. */
function history(): Daemon {
  const d = new Daemon(world(), T0 + 1_000);
  while (d.now < T0 + 20 * MINUTE) {
    d.tick();
    d.advance(30_000);
    d.finish("etl.extract");
    const second = d.now > T0 + 5 * MINUTE && d.now < T0 + 10 * MINUTE;
    d.finish("etl.transform", second ? "fail" : "ok");
    d.finish("etl.load");
  }
  d.request("etl.load", "manual").tick();
  return d;
}

/** What a new lease holder knows: the runs as reported, without the triggers only the old holder kept. */
const rebuilt = (runs: RunRecord[]): RunRecord[] => runs.map((r) => ({ ...clone(r), trigger: "" }));

describe("jobs engine: restarts and a change of lease holder", () => {
  it("decides the same for the same input, whatever the order of jobs and runs", () => {
    const d = history();
    const input = { now: d.now + 10_000, jobs: d.jobs, runs: clone(d.runs), requests: d.requests };
    const first = evaluateJobs(input);
    const shuffled = evaluateJobs({
      ...input,
      jobs: [...input.jobs].reverse(),
      runs: [...input.runs].reverse(),
    });
    expect(shuffled).toEqual(first);
  });

  it("after a restart with the runs on disk creates nothing again and asks for the same attempts", () => {
    const d = new Daemon(world(), T0 + 1_000).request("etl.load", "x");
    const before = d.tick({ place: false });
    expect(before.create).toHaveLength(2);
    // The agent restarts before any attempt was placed: the next call sees the stored runs.
    const after = evaluateJobs({
      now: d.now + 2_000,
      jobs: d.jobs,
      runs: clone(d.runs),
      requests: d.requests,
    });
    expect(after.create).toEqual([]);
    expect(after.launch.map((l) => l.taskId)).toEqual(before.launch.map((l) => l.taskId));
  });

  it("lets a new lease holder with rebuilt runs start no tick, request or pipeline step a second time", () => {
    const old = history();
    expect(old.runsOf("etl.load").some((r) => r.state === "NOT_RUN")).toBe(true);
    const created = new Set(old.runs.map((r) => r.runId));

    const holder = new Daemon(old.jobs, old.now);
    holder.runs = rebuilt(old.runs);
    holder.requests = clone(old.requests);
    for (let i = 0; i < 3; i++) {
      const decision = holder.tick();
      expect(decision.create.filter((r) => created.has(r.runId))).toEqual([]);
      expect(decision.create).toEqual([]);
      holder.advance(10_000);
    }
    // It carries on where the old holder stopped: the pipeline after the last extract, the next tick.
    holder.finish("etl.extract").finish("etl.load");
    holder.at(T0 + 25 * MINUTE + 1_000).tick();
    expect(holder.runs.filter((r) => !created.has(r.runId)).map((r) => r.runId)).toEqual([
      `etl.extract.cron-five-${T0 + 25 * MINUTE}`,
      `etl.transform.after-etl.extract.cron-five-${T0 + 20 * MINUTE}`,
    ]);
  });

  it("lets a new lease holder that rebuilds runs from the gateway's job_runs rows carry on without a second run of anything", () => {
    const old = history();
    const rows = old.runs.map((r) => ({
      runId: r.runId,
      jobId: r.jobId,
      state: r.state,
      message: r.message ?? null,
      startedAt: r.startedAt ?? null,
      finishedAt: r.finishedAt ?? null,
      reportedAt: r.finishedAt ?? r.startedAt ?? r.createdAt,
    }));
    const holder = new Daemon(old.jobs, old.now + 5_000);
    holder.runs = rows.map((row) => runFromReport(row, clone(old.run(row.runId).attempts)));
    holder.requests = clone(old.requests);
    expect(holder.runs.map((r) => r.trigger)).toEqual(old.runs.map((r) => r.trigger));
    for (let i = 0; i < 12; i++) {
      holder.tick();
      holder.advance(30_000).finish("etl.extract").finish("etl.transform").finish("etl.load");
    }
    const triggers = holder.runs.map((r) => `${r.jobId} ${r.trigger}`);
    expect(new Set(triggers).size).toBe(triggers.length);
    expect(holder.runs.length).toBeGreaterThan(old.runs.length);
  });

  it("recovers every trigger from a run id, for rebuilding records from reported rows", () => {
    const d = history();
    for (const run of d.runs) expect(triggerFromRunId(run.jobId, run.runId)).toBe(run.trigger);
  });

  it("finishes a NOT_RUN step whose transition was lost in a crash, and never launches it", () => {
    const halfApplied: RunRecord = {
      runId: "etl.load.notrun-etl.transform.req-1",
      jobId: "etl.load",
      state: "INITIAL",
      trigger: "not-run:etl.transform.req-1",
      createdAt: T0,
      message: "not run: parent job etl.transform failed (run etl.transform.req-1)",
      attempts: [],
    };
    const decision = evaluateJobs({ now: T0 + 1_000, jobs: world(), runs: [halfApplied], requests: [] });
    expect(decision.launch.filter((l) => l.jobId === "etl.load")).toEqual([]);
    expect(decision.transitions.filter((t) => t.runId.startsWith("etl.load"))).toEqual([
      { runId: halfApplied.runId, state: "NOT_RUN", message: halfApplied.message, at: T0 + 1_000 },
    ]);
  });
});

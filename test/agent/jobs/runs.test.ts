import { describe, expect, it } from "vitest";
import { evaluateJobs } from "../../../agent/jobs/engine.js";
import { clone, Daemon, job, MINUTE, T0 } from "./daemon.js";

describe("jobs engine: runs on request and their attempts", () => {
  it("turns a run request into exactly one run, named after the request, and launches its first attempt", () => {
    const d = new Daemon([job("etl.extract")]).request("etl.extract", "Req42");
    const first = d.tick();
    expect(first.create).toEqual([
      expect.objectContaining({
        runId: "etl.extract.req-Req42",
        jobId: "etl.extract",
        state: "INITIAL",
        trigger: "request:Req42",
        createdAt: T0,
        attempts: [],
      }),
    ]);
    expect(first.launch.map((l) => [l.runId, l.taskId, l.job.id])).toEqual([
      ["etl.extract.req-Req42", "etl.extract.req-Req42.1", "etl.extract"],
    ]);
    // The gateway keeps carrying the request until it sees the run: nothing new comes of it.
    const again = d.advance(5_000).tick();
    expect(again.create).toEqual([]);
    expect(again.launch).toEqual([]);
    expect(d.runs).toHaveLength(1);
  });

  it("names an unknown job's request among the skipped, and creates nothing for it", () => {
    const d = new Daemon([job("etl.extract")]).request("etl.gone", "r1");
    const decision = d.tick();
    expect(decision.create).toEqual([]);
    expect(decision.skipped).toEqual([
      expect.objectContaining({
        key: "request:r1",
        jobId: "etl.gone",
        reason: expect.stringContaining("not in the desired state"),
      }),
    ]);
  });

  it("follows its attempt: STARTING while staged, ACTIVE while running, SUCCESS when it exits 0", () => {
    const d = new Daemon([job("report")]).request("report", "a");
    d.tick();
    const runId = "report.req-a";
    expect(d.advance(1_000).tick().transitions).toEqual([{ runId, state: "STARTING", at: d.now }]);
    d.report(`${runId}.1`, "RUNNING");
    expect(d.advance(1_000).tick().transitions).toEqual([{ runId, state: "ACTIVE", at: d.now }]);
    expect(d.run(runId).startedAt).toBe(d.now);
    d.advance(30_000).report(`${runId}.1`, "FINISHED", 0);
    const done = d.tick();
    expect(done.transitions).toEqual([{ runId, state: "SUCCESS", at: d.now }]);
    expect(done.launch).toEqual([]);
    expect(d.run(runId)).toMatchObject({ state: "SUCCESS", finishedAt: d.now });
  });

  it("fails a run at its first failed attempt under restart policy NEVER, naming the task and exit code", () => {
    const d = new Daemon([job("report", { run: { restart: { policy: "NEVER" } } })]).request("report", "a");
    d.tick();
    d.advance(1_000).report("report.req-a.1", "FINISHED", 3);
    const decision = d.tick();
    expect(decision.transitions).toEqual([
      {
        runId: "report.req-a",
        state: "FAILED",
        message: "task report.req-a.1 FINISHED with exit code 3; restart policy NEVER",
        at: d.now,
      },
    ]);
    expect(decision.launch).toEqual([]);
    expect(d.advance(MINUTE).tick()).toMatchObject({ create: [], launch: [], transitions: [] });
  });

  it("relaunches a failed attempt under ON_FAILURE until the active deadline passes, then kills the running attempt and fails", () => {
    const spec = { restart: { policy: "ON_FAILURE", activeDeadlineSeconds: 120 } };
    const d = new Daemon([job("flaky", { run: spec })]).request("flaky", "a");
    d.tick();
    const runId = "flaky.req-a";
    d.advance(10_000).report(`${runId}.1`, "RUNNING");
    d.tick();
    d.advance(10_000).report(`${runId}.1`, "FAILED", 1);
    expect(d.tick().launch.map((l) => l.taskId)).toEqual([`${runId}.2`]);
    d.advance(10_000).report(`${runId}.2`, "LOST");
    expect(d.tick().launch.map((l) => l.taskId)).toEqual([`${runId}.3`]);
    d.advance(10_000).report(`${runId}.3`, "RUNNING");
    expect(d.tick().wakeAt).toBe(T0 + 120_000);

    d.at(T0 + 120_000);
    const decision = d.tick();
    expect(decision.kill).toEqual([{ taskId: `${runId}.3`, reason: "active deadline of 120s passed" }]);
    expect(decision.transitions).toEqual([
      { runId, state: "FAILED", message: "active deadline of 120s passed", at: d.now },
    ]);
    expect(decision.launch).toEqual([]);
    expect(d.run(runId).attempts.map((a) => a.state)).toEqual(["FAILED", "LOST", "KILLED"]);
  });

  it("under ON_FAILURE, fails with the last attempt's reason once the deadline has passed when it fails", () => {
    const spec = { restart: { policy: "ON_FAILURE", activeDeadlineSeconds: 60 } };
    const d = new Daemon([job("flaky", { run: spec })]).request("flaky", "a");
    d.tick();
    d.advance(61_000).report("flaky.req-a.1", "ERROR");
    const decision = d.tick();
    expect(decision.launch).toEqual([]);
    expect(decision.transitions[0]).toMatchObject({
      state: "FAILED",
      message: "task flaky.req-a.1 ERROR; active deadline of 60s passed",
    });
  });

  it("asks for the same attempt until it is placed, and fails a run not started within maxLaunchDelay", () => {
    const d = new Daemon([job("big", { run: { maxLaunchDelay: 60 } })]).request("big", "a");
    const asks = [
      d.tick({ place: false }),
      d.advance(20_000).tick({ place: false }),
      d.advance(20_000).tick({ place: false }),
    ];
    expect(asks.map((x) => x.launch.map((l) => l.taskId))).toEqual([
      ["big.req-a.1"],
      ["big.req-a.1"],
      ["big.req-a.1"],
    ]);
    expect(asks[0]!.wakeAt).toBe(T0 + 60_000);

    const expired = d.at(T0 + 60_000).tick({ place: false });
    expect(expired.launch).toEqual([]);
    expect(expired.transitions).toEqual([
      { runId: "big.req-a", state: "FAILED", message: "not started within 60s (maxLaunchDelay)", at: d.now },
    ]);
  });

  it("kills an attempt stuck in STAGING past maxLaunchDelay", () => {
    const d = new Daemon([job("big", { run: { maxLaunchDelay: 30 } })]).request("big", "a");
    d.tick();
    const decision = d.advance(31_000).tick();
    expect(decision.kill).toEqual([
      { taskId: "big.req-a.1", reason: "not started within 30s (maxLaunchDelay)" },
    ]);
    expect(d.run("big.req-a").state).toBe("FAILED");
  });

  it("stops the attempts of a run whose job left the desired state, and of any run that has already ended", () => {
    const d = new Daemon([job("old")]).request("old", "a");
    d.tick();
    d.report("old.req-a.1", "RUNNING");
    d.jobs = [];
    d.requests = [];
    const removed = d.advance(1_000).tick();
    expect(removed.kill).toEqual([{ taskId: "old.req-a.1", reason: "job old was removed" }]);
    expect(removed.transitions[0]).toMatchObject({
      state: "FAILED",
      message: "job old is no longer in the desired state",
    });

    // The kill got lost: the attempt still runs although its run has ended.
    d.report("old.req-a.1", "RUNNING");
    expect(d.advance(1_000).tick().kill).toEqual([
      { taskId: "old.req-a.1", reason: "run old.req-a is FAILED" },
    ]);
  });

  it("never changes the caller's run records", () => {
    const d = new Daemon([job("report")]).request("report", "a");
    d.tick();
    const runs = clone(d.runs);
    const frozen = clone(runs);
    evaluateJobs({ now: T0 + MINUTE, jobs: d.jobs, runs, requests: d.requests });
    expect(runs).toEqual(frozen);
  });
});

import { describe, expect, it } from "vitest";
import { Daemon, job, MINUTE } from "./daemon.js";

/** extract → transform → load, each step ON_FAILURE-free (restart policy NEVER). */
const etl = () => [
  job("etl.extract"),
  job("etl.transform", { dependencies: ["etl.extract"] }),
  job("etl.load", { dependencies: [{ id: "etl.transform" }] }),
];

describe("jobs engine: pipelines", () => {
  it("runs extract → transform → load one after the other, each once, in the evaluation that sees its parent succeed", () => {
    const d = new Daemon(etl()).request("etl.extract", "r1");
    d.tick();
    expect(d.runs.map((r) => r.jobId)).toEqual(["etl.extract"]);

    d.advance(MINUTE).finish("etl.extract");
    const second = d.tick();
    expect(second.transitions.map((t) => [t.runId, t.state])).toEqual([["etl.extract.req-r1", "SUCCESS"]]);
    expect(second.create).toEqual([
      expect.objectContaining({
        runId: "etl.transform.after-etl.extract.req-r1",
        trigger: "after:etl.extract.req-r1",
        message: "triggered by the success of etl.extract (run etl.extract.req-r1)",
      }),
    ]);
    expect(second.launch.map((l) => l.taskId)).toEqual(["etl.transform.after-etl.extract.req-r1.1"]);

    d.advance(MINUTE).finish("etl.transform");
    expect(d.tick().create.map((r) => r.jobId)).toEqual(["etl.load"]);
    d.advance(MINUTE).finish("etl.load");
    d.tick();
    expect(d.runs.map((r) => [r.jobId, r.state])).toEqual([
      ["etl.extract", "SUCCESS"],
      ["etl.transform", "SUCCESS"],
      ["etl.load", "SUCCESS"],
    ]);
    expect(d.advance(MINUTE).tick()).toMatchObject({ create: [], launch: [], transitions: [] });
  });

  it("marks load NOT_RUN, naming the failed transform run, and never launches it when transform fails", () => {
    const d = new Daemon(etl()).request("etl.extract", "r1");
    d.tick();
    d.advance(MINUTE).finish("etl.extract").tick();
    d.advance(MINUTE).finish("etl.transform", "fail");
    const failed = d.tick();
    const transformRun = "etl.transform.after-etl.extract.req-r1";
    const loadRun = `etl.load.notrun-${transformRun}`;
    expect(failed.create).toEqual([
      expect.objectContaining({
        runId: loadRun,
        jobId: "etl.load",
        state: "INITIAL",
        trigger: `not-run:${transformRun}`,
      }),
    ]);
    expect(failed.transitions).toEqual([
      expect.objectContaining({ runId: transformRun, state: "FAILED" }),
      {
        runId: loadRun,
        state: "NOT_RUN",
        message: `not run: parent job etl.transform failed (run ${transformRun})`,
        at: d.now,
      },
    ]);
    expect(failed.launch).toEqual([]);
    for (let i = 0; i < 5; i++) expect(d.advance(MINUTE).tick()).toMatchObject({ create: [], launch: [] });
    expect([...d.launched].some((t) => t.startsWith("etl.load"))).toBe(false);

    // The next successful pass through the pipeline runs load again.
    d.request("etl.extract", "r2").tick();
    d.advance(MINUTE).finish("etl.extract").tick();
    d.advance(MINUTE).finish("etl.transform").tick();
    expect(d.runsOf("etl.load").map((r) => r.state)).toEqual(["NOT_RUN", "INITIAL"]);
  });

  it("marks every step downstream of a failed extract NOT_RUN in the same evaluation, each naming the failure", () => {
    const d = new Daemon(etl()).request("etl.extract", "r1");
    d.tick();
    d.advance(MINUTE).finish("etl.extract", "fail");
    const decision = d.tick();
    expect(decision.transitions.map((t) => [t.runId, t.state, t.message])).toEqual([
      [
        "etl.extract.req-r1",
        "FAILED",
        "task etl.extract.req-r1.1 FAILED with exit code 1; restart policy NEVER",
      ],
      [
        "etl.transform.notrun-etl.extract.req-r1",
        "NOT_RUN",
        "not run: parent job etl.extract failed (run etl.extract.req-r1)",
      ],
      [
        "etl.load.notrun-etl.extract.req-r1",
        "NOT_RUN",
        "not run: parent job etl.transform was not run because etl.extract failed (run etl.extract.req-r1)",
      ],
    ]);
    expect(decision.launch).toEqual([]);
  });

  it("runs a job with two parents only when both succeeded since it last ran", () => {
    const d = new Daemon([job("a"), job("b"), job("c", { dependencies: ["a", "b"] })]);
    d.request("a", "1").tick();
    d.advance(MINUTE).finish("a").tick();
    expect(d.runsOf("c")).toEqual([]);
    d.request("b", "1").tick();
    d.advance(MINUTE).finish("b");
    const both = d.tick();
    expect(both.create).toEqual([expect.objectContaining({ jobId: "c", trigger: "after:a.req-1,b.req-1" })]);
    expect(both.create[0]!.runId).toMatch(/^c\.after-h[0-9a-f]{16}$/);
    d.advance(MINUTE).finish("c").tick();

    // a succeeds again, but b's latest success was already used by c's run.
    d.request("a", "2").tick();
    d.advance(MINUTE).finish("a").tick();
    expect(d.runsOf("c")).toHaveLength(1);
    d.request("b", "2").tick();
    d.advance(MINUTE).finish("b").tick();
    expect(d.runsOf("c").map((r) => r.trigger)).toEqual(["after:a.req-1,b.req-1", "after:a.req-2,b.req-2"]);
  });

  it("reacts to each parent run that ends, even when the parent's next run has already begun (ALLOW)", () => {
    const d = new Daemon([job("a"), job("b", { dependencies: ["a"] })]);
    d.request("a", "1").tick();
    d.report("a.req-1.1", "RUNNING");
    d.advance(MINUTE).request("a", "2").tick();
    d.report("a.req-2.1", "RUNNING");
    d.advance(MINUTE).report("a.req-1.1", "FINISHED", 0);
    expect(d.tick().create.map((r) => r.runId)).toEqual(["b.after-a.req-1"]);
    d.advance(MINUTE).report("a.req-2.1", "FAILED", 1);
    expect(d.tick().create.map((r) => [r.runId, r.trigger])).toEqual([
      ["b.notrun-a.req-2", "not-run:a.req-2"],
    ]);
  });

  it("gives a diamond's last step one NOT_RUN for one failure reached along two paths", () => {
    const d = new Daemon([
      job("top"),
      job("left", { dependencies: ["top"] }),
      job("right", { dependencies: ["top"] }),
      job("bottom", { dependencies: ["left", "right"] }),
    ]);
    d.request("top", "1").tick();
    d.advance(MINUTE).finish("top", "fail").tick();
    expect(d.runsOf("bottom").map((r) => [r.runId, r.state])).toEqual([
      ["bottom.notrun-top.req-1", "NOT_RUN"],
    ]);
  });

  it("does not react to parents' runs that ended before the job appeared", () => {
    const d = new Daemon([job("a")]).request("a", "1");
    d.tick();
    d.advance(MINUTE).finish("a").tick();
    d.jobs = [...d.jobs, job("b", { dependencies: ["a"] }, d.advance(MINUTE).now)];
    expect(d.tick().create).toEqual([]);
  });

  it("is defensive about an unknown parent or a cycle: those jobs are never triggered and say why, the rest carry on", () => {
    const d = new Daemon([
      job("orphan", { dependencies: ["missing"] }),
      job("x", { dependencies: ["y"] }),
      job("y", { dependencies: ["x"] }),
      job("fine"),
    ]).request("fine", "1");
    const decision = d.tick();
    expect(decision.create.map((r) => r.jobId)).toEqual(["fine"]);
    expect(decision.skipped?.map((s) => [s.jobId, s.reason])).toEqual([
      ["orphan", "job orphan depends on unknown job missing"],
      ["x", "job x is on a dependency cycle among x, y"],
      ["y", "job y is on a dependency cycle among x, y"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { createRng, schedule } from "../../../agent/scheduler/index.js";
import { job, NOW, node } from "./fixtures.js";

describe("the jobs framework", () => {
  it("places queued runs first come, first served, with the job's resources", () => {
    const big = job("etl.big", { cpus: 6, mem: 1024 });
    const result = schedule(
      {
        nodes: [node("a")],
        apps: [],
        tasks: [],
        runs: [
          { runId: "late", job: big, queuedAt: NOW - 1_000 },
          { runId: "early", job: big, queuedAt: NOW - 5_000 },
        ],
      },
      NOW,
      createRng(1),
    );
    expect(result.launches.map((l) => [l.runId, l.jobId, l.resources.cpus])).toEqual([
      ["early", "etl.big", 6],
    ]);
    expect(result.pending).toEqual([
      expect.objectContaining({
        kind: "run",
        id: "late",
        jobId: "etl.big",
        message: "0 of 1 nodes fit: 1 has < 6 cpus free",
      }),
    ]);
  });

  it("reports runs that waited longer than maxLaunchDelay instead of starting them", () => {
    const j = job("etl.stale", { maxLaunchDelay: 60 });
    const result = schedule(
      { nodes: [node("a")], apps: [], tasks: [], runs: [{ runId: "r1", job: j, queuedAt: NOW - 61_000 }] },
      NOW,
      createRng(1),
    );
    expect(result.expiredRuns).toEqual(["r1"]);
    expect(result.launches).toEqual([]);
  });

  it("counts resources of running job tasks as taken", () => {
    const j = job("etl.x", { cpus: 4 });
    const result = schedule(
      {
        nodes: [node("a")],
        apps: [],
        tasks: [
          {
            id: "t",
            nodeId: "a",
            state: "RUNNING",
            resources: { cpus: 6, mem: 128 },
            startedAt: NOW,
            runId: "r0",
          },
        ],
        runs: [{ runId: "r1", job: j, queuedAt: NOW }],
      },
      NOW,
      createRng(1),
    );
    expect(result.launches).toEqual([]);
  });
});

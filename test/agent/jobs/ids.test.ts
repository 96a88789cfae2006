import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  afterRunId,
  attemptNumber,
  attemptTaskId,
  cronRunId,
  notRunId,
  parseTrigger,
  requestRunId,
  triggerFromRunId,
} from "../../../agent/jobs/ids.js";
import { runIdOfRequest } from "../../../gateway/contract/operations.js";

const TASK_ID = /^[A-Za-z0-9._-]+$/;
const jobIdArb = fc
  .array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join("."));

describe("jobs engine: run and attempt ids", () => {
  it("names the run of a gateway request exactly as the gateway announces it", () => {
    fc.assert(
      fc.property(jobIdArb, fc.stringMatching(/^[A-Za-z0-9]{20}$/), (jobId, requestId) => {
        expect(requestRunId(jobId, requestId)).toBe(runIdOfRequest(jobId, requestId));
      }),
    );
  });

  it("makes task-id safe run ids of any schedule id, and reads a safe one's trigger back from the id", () => {
    fc.assert(
      fc.property(
        jobIdArb,
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.nat(),
        (jobId, scheduleId, tick) => {
          const runId = cronRunId(jobId, scheduleId, tick);
          expect(runId).toMatch(TASK_ID);
          const back = parseTrigger(triggerFromRunId(jobId, runId) ?? "");
          expect(back).toMatchObject({ kind: "cron", tickMs: tick });
          if (TASK_ID.test(scheduleId) && scheduleId.length <= 64) expect(back).toMatchObject({ scheduleId });
        },
      ),
    );
  });

  it("keeps pipeline ids short by hashing what would grow too long, deterministically", () => {
    const deep = Array.from({ length: 12 }, (_, i) => `etl.step${i}`).reduce<string>(
      (parent, job) => afterRunId(job, [parent]),
      "etl.start.cron-nightly-1764036000000",
    );
    expect(deep.length).toBeLessThanOrEqual(180);
    expect(deep).toMatch(/^etl\.step11\.after-etl\.step10\..*after-h[0-9a-f]{16}/);
    const long = `etl.${"x".repeat(170)}.req-1`;
    expect(afterRunId("etl.load", [long])).toMatch(/^etl\.load\.after-h[0-9a-f]{16}$/);
    expect(triggerFromRunId("etl.load", afterRunId("etl.load", [long]))).toBe("after:");
    expect(afterRunId("c", ["a.req-1", "b.req-1"])).toBe(afterRunId("c", ["a.req-1", "b.req-1"]));
    expect(afterRunId("c", ["a.req-1", "b.req-1"])).not.toBe(afterRunId("c", ["a.req-1", "b.req-2"]));
    expect(notRunId("etl.load", long)).toMatch(/^etl\.load\.notrun-h[0-9a-f]{16}$/);
  });

  it("numbers attempts `<runId>.<n>` and reads the number back", () => {
    const runId = "etl.load.req-abc";
    expect(attemptTaskId(runId, 3)).toBe("etl.load.req-abc.3");
    expect(attemptNumber(runId, "etl.load.req-abc.3")).toBe(3);
    expect(attemptNumber(runId, "etl.load.req-abc.x")).toBeUndefined();
    expect(attemptNumber(runId, "other.1")).toBeUndefined();
  });
});

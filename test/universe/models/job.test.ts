import { describe, expect, it } from "vitest";
import { checkJobDependencies, type Job, parseJob } from "../../../universe/models/index.js";

const job = (id: string, dependencies: unknown[] = []) => ({ id, run: { cmd: "true" }, dependencies });
const parsed = (id: string, deps: string[] = []): Job => parseJob(job(id, deps)).value;

describe("parsing a Metronome job", () => {
  it("fills in Metronome's defaults for run and schedules", () => {
    const { value } = parseJob({
      id: "etl.extract",
      run: { cmd: "extract" },
      schedules: [{ cron: "*/5 * * * *" }],
    });
    expect(value.run).toMatchObject({
      cpus: 1,
      mem: 128,
      disk: 0,
      maxLaunchDelay: 3600,
      restart: { policy: "NEVER" },
      placement: { constraints: [] },
    });
    expect(value.schedules[0]).toEqual({
      id: "default",
      cron: "*/5 * * * *",
      timezone: "UTC",
      startingDeadlineSeconds: 900,
      concurrencyPolicy: "ALLOW",
      enabled: true,
    });
  });

  it("accepts dependencies as ids or as Metronome's {id} objects", () => {
    expect(parseJob(job("b", ["a", { id: "c" }])).value.dependencies).toEqual(["a", "c"]);
  });

  it("refuses bad cron expressions, six-field crons and unknown time zones", () => {
    const withSchedule = (s: object) => () => parseJob({ id: "j", run: { cmd: "x" }, schedules: [s] });
    expect(withSchedule({ cron: "61 * * * *" })).toThrow(/cron "61 \* \* \* \*" is invalid/);
    expect(withSchedule({ cron: "0 0 * * * *" })).toThrow(/5 fields/);
    expect(withSchedule({ cron: "0 * * * *", timezone: "Mars/Olympus" })).toThrow(
      /unknown time zone "Mars\/Olympus"/,
    );
    expect(() =>
      parseJob({ id: "j", run: { cmd: "x" }, schedules: [{ cron: "0 * * * *", timezone: "Europe/Berlin" }] }),
    ).not.toThrow();
  });

  it("enforces Metronome's resource minimums and id format", () => {
    expect(() => parseJob({ id: "j", run: { cmd: "x", cpus: 0.001 } })).toThrow(/\/run\/cpus/);
    expect(() => parseJob({ id: "j", run: { cmd: "x", mem: 16 } })).toThrow(/\/run\/mem/);
    expect(() => parseJob({ id: "Bad_Id", run: { cmd: "x" } })).toThrow(/\/id/);
  });

  it("keeps and warns about unknown fields, at the top and inside run", () => {
    const { value, warnings } = parseJob({ id: "j", extra: 1, run: { cmd: "x", artifacts: [] } });
    expect((value as Record<string, unknown>).extra).toBe(1);
    expect(warnings).toEqual([
      'job (j): unknown field "extra" is kept and ignored',
      'job (j): unknown field "run.artifacts" is kept and ignored',
    ]);
  });
});

describe("checking a pipeline of dependent jobs", () => {
  it("accepts a chain extract → transform → load", () => {
    expect(() =>
      checkJobDependencies([
        parsed("extract"),
        parsed("transform", ["extract"]),
        parsed("load", ["transform"]),
      ]),
    ).not.toThrow();
  });

  it("refuses an unknown parent, naming it", () => {
    expect(() => checkJobDependencies([parsed("load", ["transform"])])).toThrow(
      /load depends on unknown job transform/,
    );
  });

  it("accepts a parent that exists outside the plan when the caller says it is known", () => {
    expect(() => checkJobDependencies([parsed("load", ["transform"])], new Set(["transform"]))).not.toThrow();
  });

  it("refuses a cycle, naming the jobs in it", () => {
    expect(() => checkJobDependencies([parsed("a", ["c"]), parsed("b", ["a"]), parsed("c", ["b"])])).toThrow(
      /cycle: a → c → b → a/,
    );
  });
});

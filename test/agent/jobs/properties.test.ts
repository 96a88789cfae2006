import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { evaluateJobs } from "../../../agent/jobs/engine.js";
import { runFromReport } from "../../../agent/jobs/rebuild.js";
import type { JobsDecision, RunAttempt } from "../../../agent/jobs/types.js";
import { clone, Daemon, job, MINUTE, T0 } from "./daemon.js";

const jobArb = fc.record({
  parents: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
  cron: fc.option(fc.constantFrom("* * * * *", "*/2 * * * *", "*/5 * * * *", "0 * * * *"), {
    nil: undefined,
  }),
  concurrencyPolicy: fc.constantFrom("ALLOW", "FORBID"),
  startingDeadlineSeconds: fc.constantFrom(30, 120, 900),
  policy: fc.constantFrom("NEVER", "ON_FAILURE"),
  activeDeadlineSeconds: fc.option(fc.constantFrom(60, 300, 1200), { nil: undefined }),
  maxLaunchDelay: fc.constantFrom(30, 300, 3600),
});

const stepArb = fc.oneof(
  fc.record({ kind: fc.constant("advance" as const), ms: fc.integer({ min: 1_000, max: 15 * MINUTE }) }),
  fc.record({ kind: fc.constant("request" as const), job: fc.nat(4), id: fc.nat(5) }),
  fc.record({
    kind: fc.constant("report" as const),
    pick: fc.nat(20),
    state: fc.constantFrom<RunAttempt["state"]>(
      "RUNNING",
      "FINISHED",
      "FINISHED",
      "FAILED",
      "KILLED",
      "ERROR",
      "LOST",
    ),
    exitCode: fc.constantFrom(0, 0, 1),
  }),
  // A new lease holder: it knows the runs as reported (ids, states, times), not their triggers
  // nor when they were created.
  fc.record({ kind: fc.constant("handover" as const) }),
  // A cycle in which no node could take the attempts asked for.
  fc.record({ kind: fc.constant("unplaced" as const) }),
);

type JobSpec = typeof jobArb extends fc.Arbitrary<infer T> ? T : never;

function jobsOf(specs: JobSpec[]) {
  return specs.map((s, i) =>
    job(`j${i}`, {
      dependencies: s.parents.slice(0, i).flatMap((p, k) => (p ? [`j${k}`] : [])),
      schedules: s.cron
        ? [
            {
              id: "s",
              cron: s.cron,
              concurrencyPolicy: s.concurrencyPolicy,
              startingDeadlineSeconds: s.startingDeadlineSeconds,
            },
          ]
        : [],
      run: {
        maxLaunchDelay: s.maxLaunchDelay,
        restart: {
          policy: s.policy,
          ...(s.activeDeadlineSeconds !== undefined && { activeDeadlineSeconds: s.activeDeadlineSeconds }),
        },
      },
    }),
  );
}

/** Everything that must hold of the daemon's books after any sequence of cycles. */
function checkBooks(d: Daemon): void {
  const triggers = d.runs.map((r) => `${r.jobId} ${r.trigger}`);
  expect(new Set(triggers).size, "a trigger produced two runs").toBe(triggers.length);
  const tasks = d.runs.flatMap((r) => r.attempts.map((a) => a.taskId));
  expect(new Set(tasks).size, "two attempts share a task id").toBe(tasks.length);
  for (const r of d.runs) {
    if (r.trigger.startsWith("not-run:") || r.state === "NOT_RUN") {
      expect(r.state).toBe("NOT_RUN");
      expect(r.attempts, `NOT_RUN run ${r.runId} was launched`).toEqual([]);
    }
    expect(r.runId).toMatch(/^[A-Za-z0-9._-]{1,180}$/);
  }
  for (const t of d.launched) expect(t.startsWith("j") && !t.includes(".notrun-")).toBe(true);
}

function checkDecision(d: Daemon, decision: JobsDecision): void {
  for (const l of decision.launch) {
    const run = d.run(l.runId);
    expect(run.state, `launched ${l.taskId} of a ${run.state} run`).not.toBe("NOT_RUN");
    expect(["SUCCESS", "FAILED"]).not.toContain(run.state);
  }
  // Fed back, the same moment decides nothing new.
  const again = evaluateJobs({ now: d.now, jobs: d.jobs, runs: clone(d.runs), requests: clone(d.requests) });
  expect(again.create).toEqual([]);
  const asked = new Set(decision.launch.map((l) => l.taskId));
  for (const l of again.launch)
    expect(asked.has(l.taskId), `new launch ${l.taskId} on a second call`).toBe(true);
}

describe("jobs engine: properties", () => {
  it("never starts a trigger twice nor launches a NOT_RUN step, through restarts, handovers and any task outcomes", () => {
    fc.assert(
      fc.property(
        fc.array(jobArb, { minLength: 1, maxLength: 5 }),
        fc.array(stepArb, { maxLength: 50 }),
        (specs, steps) => {
          const d = new Daemon(jobsOf(specs), T0 + 7_000);
          for (const step of steps) {
            let decision: JobsDecision;
            if (step.kind === "advance") decision = d.advance(step.ms).tick();
            else if (step.kind === "request")
              decision = d.request(`j${step.job % specs.length}`, `r${step.id}`).tick();
            else if (step.kind === "report") {
              const active = d.runs
                .flatMap((r) => r.attempts)
                .filter((a) => ["STAGING", "STARTING", "RUNNING"].includes(a.state));
              const a = active[step.pick % Math.max(1, active.length)];
              if (a) d.report(a.taskId, step.state, step.state === "FINISHED" ? step.exitCode : undefined);
              decision = d.tick();
            } else if (step.kind === "handover") {
              const rows = d.runs.map((r) => ({
                ...r,
                reportedAt: r.finishedAt ?? r.startedAt ?? r.createdAt,
              }));
              decision = d.tick({ runs: rows.map((row) => runFromReport(row, clone(row.attempts))) });
            } else decision = d.tick({ place: false });
            checkBooks(d);
            if (step.kind !== "unplaced") checkDecision(d, decision);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

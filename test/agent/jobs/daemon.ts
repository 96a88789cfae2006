/**
 * The daemon's side of the jobs engine, reduced to what the engine relies on (see the header
 * of agent/jobs/engine.ts): it records creates and transitions, places launches as STAGING
 * attempts, applies kills, and lets a test move the clock and end attempts. Written from the
 * contract, sharing no code with the engine.
 */
import { evaluateJobs } from "../../../agent/jobs/engine.js";
import type {
  JobDefinition,
  JobsDecision,
  RunAttempt,
  RunRecord,
  RunRequest,
  RunState,
} from "../../../agent/jobs/types.js";
import { parseJob } from "../../../universe/models/job.js";

/** 2026-11-25 12:00:00 UTC, a Wednesday. */
export const T0 = Date.UTC(2026, 10, 25, 12, 0, 0);
export const MINUTE = 60_000;

const TERMINAL = new Set<RunState>(["SUCCESS", "FAILED", "NOT_RUN"]);
const ACTIVE = new Set<RunAttempt["state"]>(["STAGING", "STARTING", "RUNNING"]);

/** A job definition with Metronome's defaults; `fields` are the job's JSON (run fields under `run`). */
export function job(id: string, fields: Record<string, unknown> = {}, since?: number): JobDefinition {
  const { run, ...rest } = fields as { run?: Record<string, unknown> };
  return {
    installId: "inst-etl",
    appId: "/etl",
    job: parseJob({ id, ...rest, run: { cmd: "work", cpus: 0.1, mem: 32, ...run } }).value,
    ...(since !== undefined && { since }),
  };
}

export const clone = <T>(value: T): T => structuredClone(value);

export class Daemon {
  runs: RunRecord[] = [];
  requests: RunRequest[] = [];
  decisions: JobsDecision[] = [];
  /** Every launch ever asked for, by task id. */
  readonly launched = new Set<string>();

  constructor(
    public jobs: JobDefinition[],
    public now = T0,
  ) {}

  /** One evaluation; `place: false` leaves launches unrecorded (no node could take them). */
  tick(options: { place?: boolean; runs?: RunRecord[] } = {}): JobsDecision {
    const decision = evaluateJobs({
      now: this.now,
      jobs: this.jobs,
      runs: options.runs ?? clone(this.runs),
      requests: clone(this.requests),
    });
    this.apply(decision, options.place ?? true);
    this.decisions.push(decision);
    return decision;
  }

  apply(decision: JobsDecision, place = true): void {
    for (const c of decision.create) {
      if (this.find(c.runId)) throw new Error(`run ${c.runId} created twice`);
      this.runs.push(clone(c));
    }
    for (const t of decision.transitions) {
      const run = this.run(t.runId);
      run.state = t.state;
      if (t.message !== undefined) run.message = t.message;
      if (t.state === "ACTIVE" && run.startedAt === undefined) run.startedAt = t.at;
      if (TERMINAL.has(t.state) && run.finishedAt === undefined) run.finishedAt = t.at;
    }
    for (const k of decision.kill) {
      const a = this.attempt(k.taskId);
      if (a && ACTIVE.has(a.state)) Object.assign(a, { state: "KILLED", finishedAt: this.now });
    }
    for (const l of decision.launch) {
      this.launched.add(l.taskId);
      const run = this.run(l.runId);
      if (place && !run.attempts.some((a) => a.taskId === l.taskId))
        run.attempts.push({ taskId: l.taskId, state: "STAGING", startedAt: this.now });
    }
  }

  advance(ms: number): this {
    this.now += ms;
    return this;
  }

  /** Moves the clock to `at` (never backwards). */
  at(at: number): this {
    this.now = Math.max(this.now, at);
    return this;
  }

  find = (runId: string) => this.runs.find((r) => r.runId === runId);

  run(runId: string): RunRecord {
    const run = this.find(runId);
    if (!run) throw new Error(`no run ${runId}; runs: ${this.runs.map((r) => r.runId).join(", ")}`);
    return run;
  }

  runsOf = (jobId: string) => this.runs.filter((r) => r.jobId === jobId);

  attempt(taskId: string): RunAttempt | undefined {
    for (const r of this.runs) for (const a of r.attempts) if (a.taskId === taskId) return a;
    return undefined;
  }

  /** Sets an attempt's state as its node would report it. */
  report(taskId: string, state: RunAttempt["state"], exitCode?: number): this {
    const a = this.attempt(taskId);
    if (!a) throw new Error(`no attempt ${taskId}`);
    a.state = state;
    if (exitCode !== undefined) a.exitCode = exitCode;
    if (!ACTIVE.has(state)) a.finishedAt = this.now;
    return this;
  }

  /** Ends the active attempt of every active run of `jobId`: exit 0 or the given failure. */
  finish(jobId: string, outcome: "ok" | "fail" = "ok"): this {
    for (const r of this.runsOf(jobId)) {
      for (const a of r.attempts.filter((x) => ACTIVE.has(x.state))) {
        if (outcome === "ok") this.report(a.taskId, "FINISHED", 0);
        else this.report(a.taskId, "FAILED", 1);
      }
    }
    return this;
  }

  request(jobId: string, requestId: string): this {
    this.requests.push({ jobId, requestId, requestedAt: this.now });
    return this;
  }
}

/**
 * The engine's working state for one evaluation: the runs it was given (copied, never the
 * caller's objects), indexed by id and by job, plus the decision being built. Every create and
 * transition is applied to the book at once, so later steps of the same evaluation see them —
 * a parent's success noticed now triggers its child in the same call.
 */
import type { Job } from "../../universe/models/job.js";
import { attemptTaskId, parseTrigger, type Trigger, triggerFromRunId } from "./ids.js";
import type { JobsDecision, RunRecord, RunState, SkippedTrigger } from "./types.js";

export const TERMINAL: ReadonlySet<RunState> = new Set(["SUCCESS", "FAILED", "NOT_RUN"]);
export const isTerminal = (run: RunRecord): boolean => TERMINAL.has(run.state);

/** When a run ended: its finishedAt, or for a terminal run without one, its start or creation. */
export const endOf = (run: RunRecord): number | undefined =>
  run.finishedAt ?? (isTerminal(run) ? (run.startedAt ?? run.createdAt) : undefined);

/** The run's trigger, read from the record or, failing that, from its id. */
export function triggerOf(run: RunRecord): Trigger {
  const parsed = parseTrigger(run.trigger ?? "");
  if (parsed.kind !== "unknown") return parsed;
  return parseTrigger(triggerFromRunId(run.jobId, run.runId) ?? "");
}

const newer = (a: RunRecord, b: RunRecord) =>
  a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.runId > b.runId);

export class RunBook {
  private readonly byId = new Map<string, RunRecord>();
  private readonly byJob = new Map<string, RunRecord[]>();

  constructor(runs: readonly RunRecord[]) {
    // Sorted first, so that a duplicated record resolves the same way whatever the input order.
    for (const r of [...runs].sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0))) {
      if (!this.byId.has(r.runId)) this.add({ ...r, attempts: r.attempts.map((a) => ({ ...a })) });
    }
  }

  add(run: RunRecord): void {
    this.byId.set(run.runId, run);
    const list = this.byJob.get(run.jobId);
    if (list) list.push(run);
    else this.byJob.set(run.jobId, [run]);
  }

  has = (runId: string): boolean => this.byId.has(runId);
  get = (runId: string): RunRecord | undefined => this.byId.get(runId);
  ofJob = (jobId: string): readonly RunRecord[] => this.byJob.get(jobId) ?? [];

  /** Every run, ordered by id (a stable order for deterministic output). */
  all(): RunRecord[] {
    return [...this.byId.values()].sort((a, b) => (a.runId < b.runId ? -1 : 1));
  }

  /** The job's run that ended last (ties: the one created later, then the greater id). */
  lastEnded(jobId: string): RunRecord | undefined {
    let best: RunRecord | undefined;
    let bestEnd = Number.NEGATIVE_INFINITY;
    for (const r of this.ofJob(jobId)) {
      const end = endOf(r);
      if (end === undefined) continue;
      if (!best || end > bestEnd || (end === bestEnd && newer(r, best))) {
        best = r;
        bestEnd = end;
      }
    }
    return best;
  }

  /** The job's most recently created run (ties: the greater id). */
  latest(jobId: string): RunRecord | undefined {
    let best: RunRecord | undefined;
    for (const r of this.ofJob(jobId)) if (!best || newer(r, best)) best = r;
    return best;
  }
}

/** Accumulates a JobsDecision while keeping the book up to date. */
export class DecisionBuilder {
  readonly created: RunRecord[] = [];
  private readonly out: Required<Omit<JobsDecision, "wakeAt">> = {
    create: [],
    launch: [],
    kill: [],
    transitions: [],
    skipped: [],
  };
  private readonly skipKeys = new Set<string>();
  private readonly killed = new Set<string>();
  private wakeAt: number | undefined;

  constructor(
    readonly now: number,
    readonly book: RunBook,
  ) {}

  /** Records a new INITIAL run created now. */
  createRun(run: { runId: string; jobId: string; trigger: string; message?: string }): RunRecord {
    const record: RunRecord = { ...run, state: "INITIAL", createdAt: this.now, attempts: [] };
    this.out.create.push({ ...record, attempts: [] });
    this.book.add(record);
    this.created.push(record);
    return record;
  }

  /**
   * Moves a run to `state` at `at` (default now); ACTIVE stamps startedAt and a terminal state
   * finishedAt, as the daemon will.
   */
  transition(run: RunRecord, state: RunState, message?: string, at = this.now): void {
    if (run.state === state) return;
    run.state = state;
    if (message !== undefined) run.message = message;
    if (state === "ACTIVE" && run.startedAt === undefined) run.startedAt = at;
    if (TERMINAL.has(state) && run.finishedAt === undefined) run.finishedAt = at;
    this.out.transitions.push({ runId: run.runId, state, ...(message !== undefined && { message }), at });
  }

  launchAttempt(run: RunRecord, job: Job, attempt: number): void {
    this.out.launch.push({
      runId: run.runId,
      jobId: run.jobId,
      taskId: attemptTaskId(run.runId, attempt),
      job,
    });
  }

  killTask(taskId: string, reason: string): void {
    if (this.killed.has(taskId)) return;
    this.killed.add(taskId);
    this.out.kill.push({ taskId, reason });
  }

  skip(entry: SkippedTrigger): void {
    if (this.skipKeys.has(entry.key)) return;
    this.skipKeys.add(entry.key);
    this.out.skipped.push(entry);
  }

  /** Asks to be evaluated again at `at` (ignored unless it lies after now). */
  wake(at: number | undefined): void {
    if (at === undefined || !Number.isFinite(at) || at <= this.now) return;
    if (this.wakeAt === undefined || at < this.wakeAt) this.wakeAt = at;
  }

  decision(): JobsDecision {
    return { ...this.out, ...(this.wakeAt !== undefined && { wakeAt: this.wakeAt }) };
  }
}

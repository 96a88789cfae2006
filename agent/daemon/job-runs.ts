/**
 * The lease holder's book of job runs, around the pure jobs engine (agent/jobs): runs live in
 * the local store; runs another holder recorded come in from what the gateway stored (rebuilt,
 * with their attempts from the assignments); every attempt follows what its task reported;
 * each evaluation's creates and transitions are stored together with the job-run updates
 * that report them; each placed attempt is recorded at once (STAGING), so the engine never
 * asks for it again. Old runs are pruned, but never a job's latest run nor one younger than a
 * day (the engine's rule).
 */
import type { Observed, StatusUpdate } from "../../gateway/contract/agent.js";
import { runFromReport } from "../jobs/rebuild.js";
import type {
  JobDefinition,
  JobsDecision,
  JobsTick,
  RunAttempt,
  RunRecord,
  RunRequest,
  RunState,
} from "../jobs/types.js";
import type { TaskState } from "../scheduler/tasks.js";
import type { Logger } from "./logger.js";
import type { ClusterTasks } from "./observed-tasks.js";
import type { LocalStore } from "./store.js";

const RUN_STATES = new Set<string>(["INITIAL", "STARTING", "ACTIVE", "SUCCESS", "FAILED", "NOT_RUN"]);
const TERMINAL_RUN = new Set<RunState>(["SUCCESS", "FAILED", "NOT_RUN"]);
const RANK: Record<RunState, number> = {
  INITIAL: 0,
  STARTING: 1,
  ACTIVE: 2,
  SUCCESS: 3,
  FAILED: 3,
  NOT_RUN: 3,
};
const KEEP_PER_JOB = 20;
const DAY_MS = 86_400_000;

export const isRunDone = (state: RunState) => TERMINAL_RUN.has(state);

/** A task state as an attempt state (the engine knows fewer). */
function attemptState(state: TaskState): RunAttempt["state"] {
  switch (state) {
    case "KILLING":
      return "RUNNING";
    case "UNREACHABLE":
    case "GONE":
      return "LOST";
    default:
      return state;
  }
}

/** The exit code the executor wrote into the task's message ("exited with code 1"). */
export function exitCodeOf(message: string | null): number | undefined {
  const m = message ? /exited with code (-?\d+)/.exec(message) : null;
  return m ? Number(m[1]) : undefined;
}

export class JobRuns {
  private runs = new Map<string, RunRecord>();
  private lastAt = new Map<string, number>();
  /** What the store holds of each run (JSON), so that only changed runs are written. */
  private saved = new Map<string, string>();

  constructor(
    private readonly store: LocalStore,
    private readonly logger: Logger,
    private readonly evaluate: (tick: JobsTick) => JobsDecision,
    private readonly newId: () => string,
  ) {}

  /** Reads the runs this agent stored (on becoming the holder). */
  async load(): Promise<void> {
    const runs = await this.store.runs();
    this.runs = new Map(runs.map((r) => [r.runId, r]));
    this.saved = new Map(runs.map((r) => [r.runId, JSON.stringify(r)]));
  }

  get(runId: string): RunRecord | undefined {
    return this.runs.get(runId);
  }

  /** Whether any run is still going (the holder then cycles faster). */
  get busy(): boolean {
    return [...this.runs.values()].some((r) => !isRunDone(r.state));
  }

  /**
   * Takes in runs the gateway stored that this book lacks or has at an earlier state (another
   * holder moved them on), with attempts rebuilt from the assignments of their tasks.
   */
  mergeObserved(rows: Observed["jobRuns"], cluster: ClusterTasks, jobs: readonly JobDefinition[]): void {
    const desired = new Set(jobs.map((j) => j.job.id));
    const attempts = new Map<string, RunAttempt[]>();
    for (const [taskId, spec] of cluster.specs) {
      if (spec.kind !== "job" || !spec.runId) continue;
      const list = attempts.get(spec.runId) ?? [];
      list.push({ taskId, state: "STAGING", startedAt: spec.launchedAt });
      attempts.set(spec.runId, list);
    }
    for (const row of rows) {
      if (!RUN_STATES.has(row.state)) continue;
      const mine = this.runs.get(row.runId);
      if (mine && RANK[mine.state] >= RANK[row.state as RunState]) continue;
      if (!mine && !desired.has(row.jobId)) continue;
      const rebuilt = runFromReport(row, mine?.attempts ?? attempts.get(row.runId) ?? []);
      this.runs.set(
        row.runId,
        mine ? { ...rebuilt, trigger: mine.trigger, createdAt: mine.createdAt } : rebuilt,
      );
    }
  }

  /** Every attempt takes the state its task last reported. */
  syncAttempts(cluster: ClusterTasks): void {
    for (const run of this.runs.values()) {
      for (const a of run.attempts) {
        const seen = cluster.states.get(a.taskId);
        if (!seen) continue;
        a.state = attemptState(seen.state);
        const code = exitCodeOf(seen.message);
        if (code !== undefined) a.exitCode = code;
        else if (a.state === "FINISHED") a.exitCode = 0;
        if (
          a.state === "FINISHED" ||
          a.state === "FAILED" ||
          a.state === "KILLED" ||
          a.state === "ERROR" ||
          a.state === "LOST"
        )
          a.finishedAt ??= seen.at;
      }
    }
  }

  /**
   * One evaluation of the engine. Creates and transitions are applied to the book and turned
   * into job-run updates (returned, for the caller to store with the runs via `persist`).
   */
  decide(
    now: number,
    jobs: JobDefinition[],
    requests: RunRequest[],
  ): { decision: JobsDecision; updates: StatusUpdate[] } {
    const decision = this.evaluate({ now, jobs, requests, runs: [...this.runs.values()] });
    const updates: StatusUpdate[] = [];
    for (const c of decision.create) {
      const record: RunRecord = { ...c, attempts: [] };
      this.runs.set(c.runId, record);
      updates.push(this.update(record, c.createdAt));
    }
    for (const t of decision.transitions) {
      const run = this.runs.get(t.runId);
      if (!run) continue;
      run.state = t.state;
      if (t.message !== undefined) run.message = t.message;
      if (t.state === "ACTIVE" && run.startedAt === undefined) run.startedAt = t.at;
      if (isRunDone(t.state) && run.finishedAt === undefined) run.finishedAt = t.at;
      // A task that ran and ended between two looks never showed the run ACTIVE: it started
      // when its first attempt that ran was placed.
      if (isRunDone(t.state) && run.startedAt === undefined) {
        const ran = run.attempts.filter(
          (a) => a.exitCode !== undefined && a.exitCode !== null && a.startedAt !== undefined,
        );
        if (ran.length > 0) run.startedAt = Math.min(...ran.map((a) => a.startedAt!));
      }
      updates.push(this.update(run, t.at));
    }
    for (const s of decision.skipped ?? []) this.logOnce(s.key, s.reason, s.jobId);
    return { decision, updates };
  }

  /** Records placed attempts (STAGING), so the engine does not ask for them again. */
  recordLaunches(launched: { runId: string; taskId: string }[], now: number): RunRecord[] {
    const changed: RunRecord[] = [];
    for (const l of launched) {
      const run = this.runs.get(l.runId);
      if (!run || run.attempts.some((a) => a.taskId === l.taskId)) continue;
      run.attempts.push({ taskId: l.taskId, state: "STAGING", startedAt: now });
      changed.push(run);
    }
    return changed;
  }

  /** Stores the runs that changed with the updates (one transaction), and prunes old ones. */
  async persist(updates: StatusUpdate[], now: number): Promise<void> {
    const remove = this.prune(now);
    const changed: RunRecord[] = [];
    const texts = new Map<string, string>();
    for (const r of this.runs.values()) {
      const text = JSON.stringify(r);
      if (this.saved.get(r.runId) !== text) {
        changed.push(r);
        texts.set(r.runId, text);
      }
    }
    if (changed.length === 0 && remove.length === 0 && updates.length === 0) return;
    await this.store.saveRuns(changed, { remove, updates, now });
    for (const [id, text] of texts) this.saved.set(id, text);
    for (const id of remove) this.saved.delete(id);
  }

  private prune(now: number): string[] {
    const byJob = new Map<string, RunRecord[]>();
    for (const r of this.runs.values()) byJob.set(r.jobId, [...(byJob.get(r.jobId) ?? []), r]);
    const remove: string[] = [];
    for (const list of byJob.values()) {
      list.sort((a, b) => b.createdAt - a.createdAt || (a.runId < b.runId ? 1 : -1));
      list.forEach((r, i) => {
        if (i >= KEEP_PER_JOB && isRunDone(r.state) && now - r.createdAt > DAY_MS) remove.push(r.runId);
      });
    }
    for (const id of remove) {
      this.runs.delete(id);
      this.lastAt.delete(id);
    }
    return remove;
  }

  private update(run: RunRecord, at: number): StatusUpdate {
    // Updates of one run never go back in time (the gateway keeps the newest).
    const when = Math.max(at, (this.lastAt.get(run.runId) ?? 0) + 1);
    this.lastAt.set(run.runId, when);
    return {
      id: this.newId(),
      kind: "job-run",
      at: when,
      runId: run.runId,
      jobId: run.jobId,
      state: run.state,
      ...(run.message && { message: run.message.slice(0, 2_000) }),
      ...(run.startedAt !== undefined && { startedAt: run.startedAt }),
      ...(run.finishedAt !== undefined && { finishedAt: run.finishedAt }),
    };
  }

  private readonly logged = new Set<string>();
  private logOnce(key: string, reason: string, jobId: string): void {
    if (this.logged.has(key)) return;
    this.logged.add(key);
    this.logger.info("job trigger skipped", { jobId, reason });
  }
}

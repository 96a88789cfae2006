/**
 * One task as this agent's executor keeps it: the stored row (what was last reported), the
 * parsed spec, and what is going on with it right now (a kill asked for, the exit watcher,
 * the health monitors). `TaskReporter` is the single way a task's state changes: it stores
 * the new row and queues the status update that reports it in one write, with an update time
 * that never goes backwards for the task (the gateway ignores older updates).
 */
import type { StatusUpdate } from "../../gateway/contract/agent.js";
import type { HealthMonitor, HealthState } from "../health/index.js";
import type { Timers } from "../health/timers.js";
import type { TaskState } from "../scheduler/tasks.js";
import type { LocalStore, StoredTask } from "./store.js";
import { ownerIdOf, parseTaskSpec, type TaskSpec } from "./task-spec.js";

const TERMINAL = new Set<TaskState>(["FINISHED", "FAILED", "KILLED", "ERROR", "LOST", "UNREACHABLE", "GONE"]);

/** The task has ended (as far as this agent is concerned). */
export const isTerminal = (state: TaskState) => TERMINAL.has(state);

export class LocalTask {
  /** Why a kill was asked for; set once. */
  killReason: string | undefined;
  /** The runtime's kill in flight. */
  killing: Promise<void> | undefined;
  /** Aborts the exit watcher (agent stopping). */
  watch: AbortController | undefined;
  /** True while runtime.launch() is in flight. */
  launching = false;
  monitors: HealthMonitor[] = [];
  healthStates: HealthState[] = [];
  lastAt = 0;
  readonly spec: TaskSpec | undefined;

  constructor(public row: StoredTask) {
    const parsed = parseTaskSpec(row.spec);
    this.spec = parsed.ok ? parsed.value : undefined;
    this.lastAt = row.updatedAt;
  }

  get taskId(): string {
    return this.row.taskId;
  }

  get terminal(): boolean {
    return isTerminal(this.row.state);
  }

  /** The app (or job) id status updates name the task by. */
  get ownerId(): string {
    if (this.spec) return ownerIdOf(this.spec);
    const raw = this.row.spec;
    return typeof raw.appId === "string" ? raw.appId : typeof raw.jobId === "string" ? raw.jobId : "unknown";
  }

  stopMonitors(): void {
    for (const m of this.monitors) m.stop();
    this.monitors = [];
    this.healthStates = [];
  }
}

/** A row for a task that was never run by this agent yet. */
export function newRow(taskId: string, spec: Record<string, unknown>, _now: number): StoredTask {
  const parsed = parseTaskSpec(spec);
  return {
    taskId,
    spec,
    state: "STAGING",
    healthy: null,
    attempts: 0,
    ports: parsed.ok ? parsed.value.ports.map((p) => p.port) : [],
    startedAt: null,
    finishedAt: null,
    exitCode: null,
    message: null,
    updatedAt: 0,
  };
}

export class TaskReporter {
  constructor(
    private readonly store: Pick<LocalStore, "saveTask">,
    private readonly timers: Pick<Timers, "now">,
    private readonly newId: () => string,
    private readonly onReported: () => void,
  ) {}

  /**
   * Moves the task to `patch` and reports it. The in-memory row changes at once (so that
   * events arriving meanwhile build on it); the write follows.
   */
  async report(task: LocalTask, patch: Partial<StoredTask>, message?: string): Promise<void> {
    const at = Math.max(this.timers.now(), task.lastAt + 1);
    task.lastAt = at;
    // A new state starts without the previous state's message unless it brings its own.
    const moved = patch.state !== undefined && patch.state !== task.row.state;
    const text = message !== undefined ? message : moved ? null : task.row.message;
    const row: StoredTask = { ...task.row, ...patch, updatedAt: at, message: text };
    task.row = row;
    const update: StatusUpdate = {
      id: this.newId(),
      kind: "task",
      at,
      taskId: row.taskId,
      appId: task.ownerId,
      state: row.state,
      healthy: row.healthy,
      ports: row.ports,
      ...(task.spec?.version && { version: task.spec.version }),
      ...(row.message && { message: row.message.slice(0, 2_000) }),
    };
    await this.store.saveTask(row, [update]);
    this.onReported();
  }
}

/**
 * The node-local executor: makes this node run what its assignments say. It launches tasks
 * not yet run, kills tasks whose assignment asks for it or has vanished, watches exits,
 * runs health checks (killing unhealthy tasks within the KillLimiter's allowance) and reports
 * every change through the outbox. A task id is never launched twice: its row is stored (as
 * STAGING, attempts 1) before the runtime is asked, and rows of ended tasks stay as tombstones
 * until their assignment is gone. The first reconcile after a start is the recovery
 * (recovery.ts). Reconciles run one at a time; the newest desired state wins. As lease holder,
 * the agent hands its own launches over as soon as the gateway accepted them (`launchAccepted`):
 * they run at once, and count as assigned until a desired state at least as new as the
 * acceptance says otherwise.
 */
import type { DesiredState } from "../../gateway/contract/agent.js";
import { KillLimiter } from "../health/index.js";
import { systemTimers, type Timers } from "../health/timers.js";
import type { ContainerRuntime, TaskObservation } from "../runtime/types.js";
import { LocalTask, TaskReporter } from "./local-task.js";
import type { Logger } from "./logger.js";
import { Loop } from "./loop.js";
import { recover } from "./recovery.js";
import { Semaphore } from "./semaphore.js";
import type { LocalStore, StoredTask } from "./store.js";
import { type SecretSource, TaskLauncher } from "./task-launcher.js";
import { TaskSupervisor } from "./task-supervisor.js";

export interface ExecutorOptions {
  agentId: string;
  runtime: ContainerRuntime;
  store: LocalStore;
  timers: Timers;
  /** Timers of the health checks (default: the system's). */
  healthTimers?: Timers;
  logger: Logger;
  newId: () => string;
  /** A task's state changed and was queued for the gateway. */
  onReported: () => void;
  killLimiter?: KillLimiter;
  /** Launches in flight at once (default 16). */
  launchConcurrency?: number;
  /** Re-checks the last desired state this often, e.g. to retry a kill that failed (default 10 s). */
  resyncMs?: number;
  /** How long an ended task's sandbox or container (its logs) is kept (default 1 h). */
  keepEndedMs?: number;
  /** How long ended tasks keep their tombstone once unassigned (default 24 h). */
  tombstoneMs?: number;
  /** Fetches the secrets that tasks' env values refer to (the gateway client). */
  secrets?: SecretSource;
}

type Assignment = DesiredState["assignments"][number];

export class Executor {
  readonly tasks = new Map<string, LocalTask>();
  /** Launches accepted by the gateway, with the revision that holds them, not yet in a desired state that new. */
  private readonly accepted = new Map<string, { assignment: Assignment; revision: number }>();
  private readonly reporter: TaskReporter;
  private readonly supervisor: TaskSupervisor;
  private readonly launcher: TaskLauncher;
  private readonly inflight = new Set<Promise<void>>();
  /** Ended tasks whose runtime leftovers (sandbox, container) were removed in this process. */
  private readonly removed = new Set<string>();
  private readonly resync: Loop;
  private latest: DesiredState | undefined;
  private applied: DesiredState | undefined;
  private running: Promise<void> | undefined;
  private recovered = false;
  private stopped = false;

  constructor(private readonly options: ExecutorOptions) {
    this.reporter = new TaskReporter(options.store, options.timers, options.newId, options.onReported);
    this.supervisor = new TaskSupervisor({
      runtime: options.runtime,
      reporter: this.reporter,
      limiter: options.killLimiter ?? new KillLimiter({ timers: options.healthTimers ?? systemTimers }),
      tasks: this.tasks,
      timers: options.timers,
      ...(options.healthTimers && { healthTimers: options.healthTimers }),
      logger: options.logger,
      track: (work) => this.track(work),
      stopped: () => this.stopped,
    });
    this.launcher = new TaskLauncher({
      runtime: options.runtime,
      reporter: this.reporter,
      supervisor: this.supervisor,
      semaphore: new Semaphore(options.launchConcurrency ?? 16),
      tasks: this.tasks,
      timers: options.timers,
      logger: options.logger,
      ...(options.secrets && { secrets: options.secrets }),
    });
    this.resync = new Loop({
      name: "executor resync",
      timers: options.timers,
      logger: options.logger,
      cycle: async () => {
        if (this.applied) this.apply(this.applied);
        return options.resyncMs ?? 10_000;
      },
    });
  }

  /** Loads the tasks this agent knew before it stopped. Call once, before `apply`. */
  async load(): Promise<void> {
    for (const row of await this.options.store.tasks()) this.tasks.set(row.taskId, new LocalTask(row));
  }

  /** Makes the node match `doc` (the newest wins when several arrive during a reconcile). */
  apply(doc: DesiredState): void {
    if (this.stopped) return;
    this.latest = doc;
    if (!this.running) this.running = this.drain().finally(() => (this.running = undefined));
  }

  /**
   * Launches this agent's assignments that the gateway has just accepted (at `revision`), without
   * waiting for the desired state to bring them; each id still runs at most once. Ignored until
   * the executor runs a verified desired state (recovery comes first).
   */
  launchAccepted(assignments: readonly Assignment[], revision: number): void {
    const base = this.latest ?? this.applied;
    if (this.stopped || !this.applied || !base) return;
    const own = assignments.filter((a) => a.agentId === this.options.agentId && !a.kill);
    for (const a of own)
      if (!this.tasks.has(a.taskId)) this.accepted.set(a.taskId, { assignment: a, revision });
    if (own.length > 0) this.apply(base);
  }

  /** Resolves when no reconcile and no launch is in flight (tests, stop). */
  async idle(): Promise<void> {
    while (this.running || this.inflight.size > 0) {
      await this.running;
      await Promise.all([...this.inflight]);
    }
  }

  /** The tasks as last reported. */
  rows(): StoredTask[] {
    return [...this.tasks.values()].map((t) => t.row);
  }

  /** Stops launching and watching; the workloads keep running. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.resync.stop();
    await this.running;
    await Promise.race([Promise.all([...this.inflight]), new Promise((r) => setTimeout(r, 10_000).unref())]);
    for (const t of this.tasks.values()) {
      t.stopMonitors();
      t.watch?.abort();
    }
  }

  private async drain(): Promise<void> {
    while (this.latest && !this.stopped) {
      const doc = this.latest;
      this.latest = undefined;
      try {
        await this.reconcile(doc);
        this.applied = doc;
      } catch (err) {
        this.options.logger.error("reconcile failed; retrying on the next resync", {
          error: err,
          revision: doc.revision,
        });
        this.applied = doc;
      }
    }
  }

  private async reconcile(doc: DesiredState): Promise<void> {
    const own = new Map(
      doc.assignments.filter((a) => a.agentId === this.options.agentId).map((a) => [a.taskId, a]),
    );
    for (const [taskId, early] of this.accepted) {
      if (doc.revision >= early.revision)
        this.accepted.delete(taskId); // the desired state has the last word
      else if (!own.has(taskId)) own.set(taskId, early.assignment);
    }
    if (!this.recovered) {
      await recover(this.recoveryContext(), own);
      this.recovered = true;
      this.resync.start(this.options.resyncMs ?? 10_000);
    }
    for (const a of own.values()) {
      const task = this.tasks.get(a.taskId);
      if (!task) {
        if (a.kill) await this.launcher.neverLaunched(a, "killed before it was launched");
        else this.track(this.launcher.launch(a));
      } else if (a.kill && !task.terminal) this.supervisor.kill(task, "the scheduler asked to kill it");
    }
    for (const task of this.tasks.values()) {
      if (own.has(task.taskId)) continue;
      if (!task.terminal) this.supervisor.kill(task, "no longer assigned to this agent");
      else await this.cleanUp(task);
    }
  }

  private recoveryContext() {
    return {
      agentId: this.options.agentId,
      runtime: this.options.runtime,
      tasks: this.tasks,
      reporter: this.reporter,
      logger: this.options.logger,
      now: () => this.options.timers.now(),
      adopt: (task: LocalTask) => this.supervisor.watch(task),
      kill: (task: LocalTask, reason: string) => this.supervisor.kill(task, reason),
      exited: (task: LocalTask, obs: TaskObservation, note: string) =>
        this.supervisor.exited(task, obs, note),
    };
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err) => this.options.logger.error("task handling failed", { error: err }));
    this.inflight.add(tracked);
    void tracked.finally(() => this.inflight.delete(tracked));
  }

  /**
   * An ended task whose assignment is gone: its sandbox or container (with its logs) is kept a
   * while, then removed; its row stays longer, as the tombstone that keeps its id from running again.
   */
  private async cleanUp(task: LocalTask): Promise<void> {
    const { runtime, store, timers } = this.options;
    const age = timers.now() - (task.row.finishedAt ?? task.row.updatedAt);
    if (
      task.row.attempts > 0 &&
      !this.removed.has(task.taskId) &&
      age >= (this.options.keepEndedMs ?? 3_600_000)
    ) {
      this.removed.add(task.taskId);
      try {
        await runtime.remove(task.taskId);
      } catch (err) {
        this.options.logger.debug("could not remove an ended task", { taskId: task.taskId, error: err });
      }
    }
    if (age >= (this.options.tombstoneMs ?? 86_400_000)) {
      this.tasks.delete(task.taskId);
      this.removed.delete(task.taskId);
      await store.deleteTasks([task.taskId]);
    }
  }
}

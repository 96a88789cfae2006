/**
 * Looks after one running task for the executor: watches its exit (reported FINISHED, FAILED
 * with its code, or KILLED when a kill was asked for), runs its health checks (health changes
 * reported; a task whose checks keep failing is killed, within the KillLimiter's allowance),
 * and kills it on request (reported KILLING, then KILLED by the exit watcher).
 */
import { createTaskMonitor, type HealthEvent, type KillLimiter } from "../health/index.js";
import { systemTimers, type Timers } from "../health/timers.js";
import type { ContainerRuntime, TaskObservation } from "../runtime/types.js";
import type { LocalTask, TaskReporter } from "./local-task.js";
import type { Logger } from "./logger.js";

export interface SupervisorContext {
  runtime: ContainerRuntime;
  reporter: TaskReporter;
  limiter: KillLimiter;
  tasks: ReadonlyMap<string, LocalTask>;
  timers: Timers;
  healthTimers?: Timers;
  logger: Logger;
  /** Runs a piece of background work the executor waits for on stop. */
  track: (work: Promise<void>) => void;
  stopped: () => boolean;
}

export class TaskSupervisor {
  constructor(private readonly ctx: SupervisorContext) {}

  /** Watches the task's exit and runs its health checks. */
  watch(task: LocalTask): void {
    if (this.ctx.stopped() || task.terminal) return;
    task.watch?.abort();
    const controller = new AbortController();
    task.watch = controller;
    this.ctx.runtime.wait(task.taskId, { signal: controller.signal }).then(
      (obs) => this.ctx.track(this.exited(task, obs)),
      (err) => {
        if (controller.signal.aborted || this.ctx.stopped()) return;
        this.ctx.logger.warn("lost sight of a task", { taskId: task.taskId, error: err });
        this.ctx.track(this.lostSight(task, (err as Error).message));
      },
    );
    if (task.row.state === "RUNNING" && task.monitors.length === 0) this.startHealthChecks(task);
  }

  private async lostSight(task: LocalTask, why: string): Promise<void> {
    if (task.terminal) return;
    task.stopMonitors();
    await this.ctx.reporter.report(
      task,
      { state: "LOST", finishedAt: this.ctx.timers.now() },
      `the runtime lost the task: ${why}`,
    );
  }

  private startHealthChecks(task: LocalTask): void {
    const spec = task.spec;
    if (!spec || spec.healthChecks.length === 0) return;
    task.healthStates = spec.healthChecks.map(() => "pending");
    task.monitors = spec.healthChecks.map((check, i) =>
      createTaskMonitor({
        runtime: this.ctx.runtime,
        taskId: task.taskId,
        ports: task.row.ports,
        check,
        startedAt: task.row.startedAt ?? this.ctx.timers.now(),
        timers: this.ctx.healthTimers ?? systemTimers,
        killLimit: {
          limiter: this.ctx.limiter,
          appId: task.ownerId,
          taskId: task.taskId,
          instances: () => spec.instances ?? 1,
        },
        onEvent: (e) => this.onHealth(task, i, e),
      }),
    );
    for (const m of task.monitors) m.start();
  }

  private onHealth(task: LocalTask, index: number, e: HealthEvent): void {
    if (task.terminal || this.ctx.stopped()) return;
    if (e.type === "healthy" || e.type === "unhealthy") {
      task.healthStates[index] = e.type;
      const states = task.healthStates;
      const healthy = states.every((s) => s === "healthy")
        ? true
        : states.includes("unhealthy")
          ? false
          : null;
      if (healthy === true) this.releaseHealthKills(task.ownerId);
      if (healthy !== task.row.healthy && task.row.state === "RUNNING")
        this.ctx.track(
          this.ctx.reporter.report(
            task,
            { healthy },
            e.type === "unhealthy" ? `unhealthy: ${e.reason}` : undefined,
          ),
        );
    } else if (e.type === "kill") {
      this.kill(task, `health checks failed: ${e.reason}`);
    } else if (e.type === "kill-deferred") {
      this.ctx.logger.warn("unhealthy task not killed yet", { taskId: task.taskId, reason: e.reason });
    }
  }

  /** A task of the app turned healthy: kills for health of its ended tasks no longer hold slots. */
  private releaseHealthKills(ownerId: string): void {
    for (const id of this.ctx.limiter.inFlight(ownerId)) {
      if (this.ctx.tasks.get(id)?.terminal !== false) this.ctx.limiter.release(ownerId, id);
    }
  }

  /** Asks the runtime to stop the task; the exit watcher reports KILLED. */
  kill(task: LocalTask, reason: string, force = false): void {
    if (task.terminal || (task.killing && !force)) return;
    task.killReason ??= reason;
    if (task.launching) return; // launch() kills it once the runtime has it
    const { runtime, logger } = this.ctx;
    task.stopMonitors();
    logger.info("killing task", { taskId: task.taskId, reason: task.killReason });
    const grace = task.spec?.killGracePeriodMs;
    const killing = (async () => {
      if (task.row.state !== "KILLING")
        await this.ctx.reporter.report(task, { state: "KILLING" }, task.killReason);
      await runtime.kill(task.taskId, grace === undefined ? {} : { gracePeriodMs: grace });
      // No watcher (e.g. it never ran here): learn the outcome directly.
      if (!task.watch || task.watch.signal.aborted) {
        const seen = await runtime.inspect(task.taskId);
        if (seen?.state !== "running") await this.exited(task, seen);
      }
    })().catch((err) => {
      logger.warn("kill failed; retrying on the next resync", { taskId: task.taskId, error: err });
      task.killing = undefined;
    });
    task.killing = killing;
    this.ctx.track(killing);
  }

  /** The task's process or container ended. */
  async exited(task: LocalTask, obs: TaskObservation | undefined, note?: string): Promise<void> {
    if (task.terminal) return;
    task.stopMonitors();
    const code = obs?.exitCode;
    // KILLING in the books: the kill was asked for before a restart.
    if (task.row.state === "KILLING")
      task.killReason ??= task.row.message ?? "killed before the agent restarted";
    const state = task.killReason ? "KILLED" : code === 0 ? "FINISHED" : "FAILED";
    const how =
      code !== undefined && code !== null
        ? `exited with code ${code}`
        : obs?.signal
          ? `terminated by ${obs.signal}`
          : (obs?.note ?? "exited; exit code unknown");
    const message = [task.killReason ? `killed: ${task.killReason} (${how})` : how, note]
      .filter(Boolean)
      .join("; ");
    await this.ctx.reporter.report(
      task,
      {
        state,
        finishedAt: obs?.finishedAt ?? this.ctx.timers.now(),
        exitCode: code ?? null,
        healthy: null,
      },
      message,
    );
    this.ctx.logger.info("task ended", { taskId: task.taskId, state, message });
  }
}

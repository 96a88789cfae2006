/**
 * Starts the tasks of new assignments. The task's row is stored as STAGING with attempts = 1
 * before the runtime is asked, so a crash at any point afterwards finds the row and reports
 * the task LOST instead of launching its id a second time. A spec that cannot run (invalid,
 * or with secret env values this agent cannot resolve yet) fails the task without a launch.
 */
import type { DesiredState } from "../../gateway/contract/agent.js";
import type { Timers } from "../health/timers.js";
import { isRuntimeError } from "../runtime/errors.js";
import type { ContainerRuntime } from "../runtime/types.js";
import { LocalTask, newRow, type TaskReporter } from "./local-task.js";
import type { Logger } from "./logger.js";
import type { Semaphore } from "./semaphore.js";
import { parseTaskSpec, toLaunchSpec } from "./task-spec.js";
import type { TaskSupervisor } from "./task-supervisor.js";

type Assignment = DesiredState["assignments"][number];

export interface LauncherContext {
  runtime: ContainerRuntime;
  reporter: TaskReporter;
  supervisor: TaskSupervisor;
  semaphore: Semaphore;
  tasks: Map<string, LocalTask>;
  timers: Timers;
  logger: Logger;
}

export class TaskLauncher {
  constructor(private readonly ctx: LauncherContext) {}

  /** Records an assignment this agent will never run: it was marked to be killed first. */
  async neverLaunched(a: Assignment, message: string): Promise<void> {
    const task = new LocalTask(newRow(a.taskId, a.spec, this.ctx.timers.now()));
    this.ctx.tasks.set(a.taskId, task);
    await this.ctx.reporter.report(task, { state: "KILLED", finishedAt: this.ctx.timers.now() }, message);
  }

  /** Launches the assignment's task (once: see the module comment). */
  async launch(a: Assignment): Promise<void> {
    const { runtime, logger, timers, reporter, supervisor } = this.ctx;
    const task = new LocalTask(newRow(a.taskId, a.spec, timers.now()));
    // In the map before anything awaits: a reconcile meanwhile must not launch it again.
    this.ctx.tasks.set(a.taskId, task);
    if (!task.spec) {
      const parsed = parseTaskSpec(a.spec);
      const message = parsed.ok ? "invalid spec" : parsed.message;
      await reporter.report(task, { state: "FAILED", finishedAt: timers.now() }, message);
      logger.warn("task cannot run", { taskId: a.taskId, reason: message });
      return;
    }
    const launchSpec = toLaunchSpec(a.taskId, task.spec);
    if (!launchSpec.ok) {
      await reporter.report(task, { state: "FAILED", finishedAt: timers.now() }, launchSpec.message);
      logger.warn("task cannot run", { taskId: a.taskId, reason: launchSpec.message });
      return;
    }
    // Stored with attempts = 1 before the runtime sees it: a crash after this point finds the
    // row and reports the task LOST rather than launching the id again.
    await reporter.report(task, { state: "STAGING", attempts: 1 });
    task.launching = true;
    let startedAt: number;
    try {
      startedAt = (await this.ctx.semaphore.run(() => runtime.launch(launchSpec.value))).startedAt;
    } catch (err) {
      task.launching = false;
      if (isRuntimeError(err) && err.code === "TASK_EXISTS") {
        const seen = await runtime.inspect(a.taskId);
        if (seen?.state === "running") {
          await reporter.report(task, { state: "RUNNING", startedAt: seen.startedAt ?? timers.now() });
          supervisor.watch(task);
          return;
        }
      }
      const message = `could not launch: ${(err as Error).message}`;
      logger.warn("launch failed", { taskId: a.taskId, error: err });
      await reporter.report(task, { state: "FAILED", finishedAt: timers.now() }, message);
      return;
    }
    task.launching = false;
    logger.info("task launched", { taskId: a.taskId, owner: task.ownerId });
    await reporter.report(task, { state: "RUNNING", startedAt, healthy: null });
    supervisor.watch(task);
    if (task.killReason) supervisor.kill(task, task.killReason, true);
  }
}

/**
 * Starts the tasks of new assignments. The task's row is stored as STAGING with attempts = 1
 * before the runtime is asked, so a crash at any point afterwards finds the row and reports
 * the task LOST instead of launching its id a second time. A spec that cannot run (invalid,
 * or with an env value naming an undeclared secret) fails the task without a launch. Env
 * values that refer to secrets are fetched from the gateway just before the launch; when that
 * fails (gateway unreachable, secret missing) the task fails like any failed launch, and the
 * scheduler's backoff relaunches it. Values go to the runtime only: never to a log, a status
 * message or this agent's store.
 */
import type { DesiredState } from "../../gateway/contract/agent.js";
import type { Timers } from "../health/timers.js";
import { isRuntimeError } from "../runtime/errors.js";
import type { ContainerRuntime } from "../runtime/types.js";
import { LocalTask, newRow, type TaskReporter } from "./local-task.js";
import type { Logger } from "./logger.js";
import type { Semaphore } from "./semaphore.js";
import { parseTaskSpec, secretRefs, toLaunchSpec } from "./task-spec.js";
import type { TaskSupervisor } from "./task-supervisor.js";

type Assignment = DesiredState["assignments"][number];

/** Fetches secret values (path → value) for this agent's tasks; the gateway client's `secrets`. */
export type SecretSource = (paths: string[]) => Promise<Record<string, string>>;

export interface LauncherContext {
  runtime: ContainerRuntime;
  reporter: TaskReporter;
  supervisor: TaskSupervisor;
  semaphore: Semaphore;
  tasks: Map<string, LocalTask>;
  timers: Timers;
  logger: Logger;
  /** Absent: tasks whose env refers to secrets fail (nothing to fetch them from). */
  secrets?: SecretSource;
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
    const launchSpec = await this.withSecrets(a.taskId, task.spec);
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

  /** The launch spec with the secrets its env refers to fetched (before the task is STAGING). */
  private async withSecrets(taskId: string, spec: NonNullable<LocalTask["spec"]>) {
    const refs = secretRefs(spec);
    if (!refs.ok) return refs;
    if (refs.value.size === 0) return toLaunchSpec(taskId, spec);
    const paths = [...new Set(refs.value.values())];
    if (!this.ctx.secrets)
      return { ok: false as const, message: "this agent cannot fetch secrets (no gateway client)" };
    try {
      return toLaunchSpec(taskId, spec, refs.value, await this.ctx.secrets(paths));
    } catch (err) {
      // The gateway's refusals name paths, never values; safe to report and log.
      const message = `could not fetch secret ${paths.join(", ")} from the gateway: ${(err as Error).message}`;
      return { ok: false as const, message };
    }
  }
}

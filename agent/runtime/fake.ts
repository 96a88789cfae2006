/**
 * An in-memory runtime for unit tests of the daemon: launches succeed at once (or fail on
 * request), tasks exit when the test says so, kills can be made slow or ignored, and tasks can
 * be planted as if found after an agent restart.
 *
 * @example
 *   const rt = new FakeRuntime();
 *   await daemon.tick();                 // launches through rt
 *   rt.exit(rt.launched[0].taskId, 1);   // the task fails
 */
import { tailLines, taskLabels, validateSpec } from "./env.js";
import { RuntimeError } from "./errors.js";
import type {
  ContainerRuntime,
  ExecOptions,
  ExecResult,
  KillOptions,
  LogOptions,
  RunningTask,
  TaskLaunchSpec,
  TaskObservation,
  WaitOptions,
} from "./types.js";

interface FakeTask {
  observation: TaskObservation;
  spec?: TaskLaunchSpec;
  logs: string;
  exited: Promise<void>;
  markExited: () => void;
}

export interface FakeRuntimeOptions {
  now?: () => number;
  agentId?: string;
}

export class FakeRuntime implements ContainerRuntime {
  readonly kind = "fake" as const;
  /** Every spec launched, in order. */
  readonly launched: TaskLaunchSpec[] = [];
  /** Every kill, in order. */
  readonly killed: Array<{ taskId: string; gracePeriodMs: number }> = [];
  /** Result of exec() per task (default: exit 0). */
  readonly execResults = new Map<string, ExecResult>();
  /** Tasks that ignore kill() until exit() is called (a stuck process). */
  readonly ignoreKill = new Set<string>();
  private readonly tasks = new Map<string, FakeTask>();
  private readonly launchFailures: Error[] = [];
  private readonly now: () => number;
  closed = false;

  constructor(private readonly options: FakeRuntimeOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** The next launch() throws this error (queue several to fail several). */
  failNextLaunch(error: Error = new RuntimeError("RUNTIME_FAILED", "launch failed (fake)")): void {
    this.launchFailures.push(error);
  }

  /** Ends a running task with this exit code (or by a signal when `signal` is given). */
  exit(taskId: string, exitCode: number | null, signal?: string): void {
    const task = this.task(taskId);
    if (task.observation.state === "exited") return;
    task.observation = {
      ...task.observation,
      state: "exited",
      exitCode,
      finishedAt: this.now(),
      ...(signal ? { signal } : {}),
    };
    task.markExited();
  }

  /** Plants a task as if this agent had launched it before a restart. */
  plant(observation: Omit<TaskObservation, "runtime" | "adopted">): void {
    const task = this.makeTask({ ...observation, runtime: "fake", adopted: true });
    if (observation.state === "exited") task.markExited();
    this.tasks.set(observation.taskId, task);
  }

  appendLog(taskId: string, text: string): void {
    this.task(taskId).logs += text;
  }

  running(): string[] {
    return [...this.tasks.values()]
      .filter((t) => t.observation.state === "running")
      .map((t) => t.observation.taskId);
  }

  async launch(spec: TaskLaunchSpec): Promise<RunningTask> {
    validateSpec(spec);
    const failure = this.launchFailures.shift();
    if (failure) throw failure;
    if (this.tasks.has(spec.taskId)) {
      throw new RuntimeError("TASK_EXISTS", `task ${spec.taskId} was already launched`);
    }
    const startedAt = this.now();
    const task = this.makeTask({
      taskId: spec.taskId,
      runtime: "fake",
      handle: `fake-${spec.taskId}`,
      kind: spec.kind,
      ...(spec.appId ? { appId: spec.appId } : {}),
      ...(spec.jobId ? { jobId: spec.jobId } : {}),
      ...(spec.runId ? { runId: spec.runId } : {}),
      state: "running",
      startedAt,
      labels: taskLabels(spec, this.options.agentId),
    });
    task.spec = spec;
    this.tasks.set(spec.taskId, task);
    this.launched.push(spec);
    return { taskId: spec.taskId, runtime: "fake", handle: `fake-${spec.taskId}`, startedAt };
  }

  async kill(taskId: string, options: KillOptions = {}): Promise<void> {
    const task = this.tasks.get(taskId);
    if (!task || task.observation.state === "exited") return;
    this.killed.push({ taskId, gracePeriodMs: options.gracePeriodMs ?? task.spec?.killGracePeriodMs ?? 0 });
    if (this.ignoreKill.has(taskId)) return task.exited;
    this.exit(taskId, null, "SIGTERM");
  }

  async inspect(taskId: string): Promise<TaskObservation | undefined> {
    const task = this.tasks.get(taskId);
    return task ? { ...task.observation } : undefined;
  }

  async list(): Promise<TaskObservation[]> {
    return [...this.tasks.values()].map((t) => ({ ...t.observation }));
  }

  async wait(taskId: string, options: WaitOptions = {}): Promise<TaskObservation> {
    const task = this.task(taskId);
    if (task.observation.state === "running") {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new RuntimeError("RUNTIME_FAILED", `stopped waiting for ${taskId}`));
        if (options.signal?.aborted) return onAbort();
        options.signal?.addEventListener("abort", onAbort, { once: true });
        task.exited.then(() => {
          options.signal?.removeEventListener("abort", onAbort);
          resolve();
        });
      });
    }
    return { ...task.observation };
  }

  async logs(taskId: string, options: LogOptions = {}): Promise<string> {
    return tailLines(this.task(taskId).logs, options.tail);
  }

  async exec(taskId: string, _command: string, _options: ExecOptions): Promise<ExecResult> {
    this.task(taskId);
    return this.execResults.get(taskId) ?? { exitCode: 0, output: "", timedOut: false };
  }

  async remove(taskId: string): Promise<void> {
    const task = this.tasks.get(taskId);
    if (task?.observation.state === "running") {
      throw new RuntimeError("TASK_RUNNING", `task ${taskId} still runs`);
    }
    this.tasks.delete(taskId);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private task(taskId: string): FakeTask {
    const task = this.tasks.get(taskId);
    if (!task) throw new RuntimeError("UNKNOWN_TASK", `no task ${taskId}`);
    return task;
  }

  private makeTask(observation: TaskObservation): FakeTask {
    let markExited = () => {};
    const exited = new Promise<void>((r) => {
      markExited = r;
    });
    return { observation, logs: "", exited, markExited };
  }
}

/**
 * The contract every container runtime of the agent fulfils (Docker Engine, plain processes, and
 * an in-memory fake for tests). The daemon only ever talks to a `ContainerRuntime`; which one it
 * got is decided once, at start, by `createRuntime` (select.ts).
 */

export type TaskKind = "service" | "job";
export type RuntimeKind = "docker" | "process" | "fake";

/** One host port assigned to a task from an offer; `name` comes from the app's port definition. */
export interface PortAssignment {
  port: number;
  name?: string;
  protocol?: string;
}

/** Everything a runtime needs to start one task. Secret references are already resolved. */
export interface TaskLaunchSpec {
  /** Unique per launch; letters, digits, `.`, `_`, `-` (it names directories and containers). */
  taskId: string;
  kind: TaskKind;
  /** The service's app id (`/prod/web`) for `kind: "service"`. */
  appId?: string;
  /** The job id and run id for `kind: "job"`. */
  jobId?: string;
  runId?: string;
  /** A shell command (`sh -c`), or `args` (argv, no shell); neither = the image's default. */
  cmd?: string;
  args?: string[];
  /** Docker image; a process runtime refuses tasks that need one. */
  image?: string;
  /** The app's environment; the runtime adds the PORT/HOST/task-id variables (see env.ts). */
  env: Record<string, string>;
  /** Assigned host ports in port-definition order (PORT0 is `ports[0]`). */
  ports: PortAssignment[];
  cpus: number;
  /** MB. */
  mem: number;
  gpus?: number;
  /** Working directory: inside the container for Docker; defaults to the sandbox for processes. */
  workDir?: string;
  /** User labels (Marathon app labels); `io.flotilla.*` keys are reserved for the runtime. */
  labels: Record<string, string>;
  /** Default grace between SIGTERM and SIGKILL when the task is killed. */
  killGracePeriodMs: number;
  /** The address the task should bind and advertise (`HOST`); default 127.0.0.1. */
  host?: string;
}

export interface RunningTask {
  taskId: string;
  runtime: RuntimeKind;
  /** Container id, or the pid as text. */
  handle: string;
  /** ms since the epoch. */
  startedAt: number;
}

/** What a runtime can tell about one task it launched, running or not. */
export interface TaskObservation {
  taskId: string;
  runtime: RuntimeKind;
  handle: string;
  kind: TaskKind;
  appId?: string;
  jobId?: string;
  runId?: string;
  state: "running" | "exited";
  startedAt?: number;
  finishedAt?: number;
  /**
   * The exit code when known; `null` when the task ended by a signal or when the runtime could not
   * learn it (a process adopted after an agent restart cannot be waited for). `undefined` while running.
   */
  exitCode?: number | null;
  /** The terminating signal, when known (e.g. `SIGKILL`). */
  signal?: string;
  oomKilled?: boolean;
  /** True when this agent process did not start the task itself (found after a restart). */
  adopted?: boolean;
  /** Why something is unknown or unusual, e.g. "adopted after an agent restart: exit code unknown". */
  note?: string;
  labels: Record<string, string>;
}

export interface KillOptions {
  /** SIGTERM first, SIGKILL after this long; defaults to the spec's killGracePeriodMs. */
  gracePeriodMs?: number;
}

export interface LogOptions {
  /** The last N lines only. */
  tail?: number;
  /** Default "all": Docker interleaves both streams in order; processes give stdout then stderr. */
  stream?: "stdout" | "stderr" | "all";
}

export interface ExecOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface ExecResult {
  /** `null` when the command timed out or was aborted. */
  exitCode: number | null;
  /** stdout and stderr, cut to a few KB. */
  output: string;
  timedOut: boolean;
}

export interface WaitOptions {
  signal?: AbortSignal;
}

export interface ContainerRuntime {
  readonly kind: RuntimeKind;
  /** Starts the task; resolves once it runs. Throws RuntimeError TASK_EXISTS for a taskId already used. */
  launch(spec: TaskLaunchSpec): Promise<RunningTask>;
  /** SIGTERM, then SIGKILL after the grace period; resolves once it has exited. Unknown ids are a no-op. */
  kill(taskId: string, options?: KillOptions): Promise<void>;
  inspect(taskId: string): Promise<TaskObservation | undefined>;
  /** Everything this agent launched and has not removed, running or exited (for reconcile after a restart). */
  list(): Promise<TaskObservation[]>;
  /** Resolves with the final observation once the task has exited (at once if it already has). */
  wait(taskId: string, options?: WaitOptions): Promise<TaskObservation>;
  logs(taskId: string, options?: LogOptions): Promise<string>;
  /** Runs `sh -c command` in the task's context (COMMAND health checks). */
  exec(taskId: string, command: string, options: ExecOptions): Promise<ExecResult>;
  /** Forgets an exited task and deletes what it left (container, sandbox). Refuses a running one. */
  remove(taskId: string): Promise<void>;
  /** Stops watching; the workloads keep running. Safe to call twice. */
  close(): Promise<void>;
}

/** Labels (Docker) and record fields (processes) that tie a task to this agent. */
export const LABELS = {
  taskId: "io.flotilla.task-id",
  appId: "io.flotilla.app-id",
  jobId: "io.flotilla.job-id",
  runId: "io.flotilla.run-id",
  kind: "io.flotilla.kind",
  agentId: "io.flotilla.agent-id",
  killGraceMs: "io.flotilla.kill-grace-ms",
} as const;

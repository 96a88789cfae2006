/**
 * The process runtime: each task is a plain command on the host, in its own session and process
 * group (`detached`), unref'd, with stdout/stderr going to files in its sandbox
 * (`<dataDir>/tasks/<taskId>/`), so it outlives an agent restart. A record file holds its pid and
 * start time; a restarted agent adopts a process only when both match (pids get reused).
 *
 * Limits: cpus, mem and gpus are accounted by the scheduler but NOT enforced for plain processes
 * (no cgroups here; RLIMIT_AS would break runtimes that reserve address space, like the JVM or
 * Node). Processes that leave the process group (setsid), or outlive the task's first process, escape
 * kill: once that process is gone its pid may be a stranger's. An adopted process cannot be
 * waited for, so its exit is seen through /proc and its exit code is reported as unknown.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { taskEnv, taskLabels, validateSpec } from "./env.js";
import { RuntimeError } from "./errors.js";
import { groupAlive, identify, readProcStat, startTicksToEpochMs } from "./proc.js";
import { execOnHost, readLogFile } from "./process-io.js";
import { type ProcessRecord, readAllRecords, readRecord, sandboxDir, writeRecord } from "./process-record.js";
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

export const DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
/** How long kill() waits for SIGKILL to take effect before it gives up with an error. */
const SIGKILL_WAIT_MS = 5000;

export interface ProcessRuntimeOptions {
  /** The agent's data directory; sandboxes and records live under `<dataDir>/tasks/`. */
  dataDir: string;
  agentId?: string;
  /** What every task gets before its own env; the agent's own environment is NOT inherited. */
  baseEnv?: Record<string, string>;
  /** How often an adopted process is looked up in /proc while someone waits for it. */
  pollIntervalMs?: number;
}

interface Child {
  process: ChildProcess;
  exited: Promise<void>;
  /** Set by the exit event; until then the child counts as running (its exit code is on the way). */
  done: boolean;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class ProcessRuntime implements ContainerRuntime {
  readonly kind = "process" as const;
  private readonly dataDir: string;
  private readonly baseEnv: Record<string, string>;
  private readonly pollIntervalMs: number;
  /** Processes this runtime instance spawned (and so can wait for). */
  private readonly children = new Map<string, Child>();
  private readonly closing = new AbortController();

  constructor(private readonly options: ProcessRuntimeOptions) {
    this.dataDir = resolve(options.dataDir);
    this.baseEnv = options.baseEnv ?? { PATH: DEFAULT_PATH };
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
  }

  async launch(spec: TaskLaunchSpec): Promise<RunningTask> {
    validateSpec(spec);
    if (spec.image) {
      throw new RuntimeError(
        "INVALID_SPEC",
        `task ${spec.taskId} needs the image ${spec.image}, but this agent runs plain processes (runtime "process"); start the agent with a Docker daemon or drop the image`,
      );
    }
    const argv = spec.cmd ? ["/bin/sh", "-c", spec.cmd] : (spec.args ?? []);
    const [file, ...args] = argv;
    if (!file) throw new RuntimeError("INVALID_SPEC", `task ${spec.taskId} has neither cmd nor args`);
    if (this.children.has(spec.taskId) || readRecord(this.dataDir, spec.taskId)) {
      throw new RuntimeError("TASK_EXISTS", `task ${spec.taskId} was already launched on this agent`);
    }
    const dir = sandboxDir(this.dataDir, spec.taskId);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const env = { ...this.baseEnv, MESOS_SANDBOX: dir, FLOTILLA_SANDBOX: dir, ...taskEnv(spec) };
    const cwd = spec.workDir ? resolve(dir, spec.workDir) : dir;
    const out = openSync(join(dir, "stdout"), "a", 0o600);
    const err = openSync(join(dir, "stderr"), "a", 0o600);
    let child: ChildProcess;
    try {
      child = spawn(file, args, { cwd, env, detached: true, stdio: ["ignore", out, err] });
    } finally {
      closeSync(out);
      closeSync(err);
    }
    const pid = child.pid;
    if (pid === undefined) {
      const reason = await new Promise<string>((r) => child.once("error", (e) => r(e.message)));
      rmSync(dir, { recursive: true, force: true });
      throw new RuntimeError("RUNTIME_FAILED", `task ${spec.taskId}: could not start ${file}: ${reason}`);
    }
    child.unref();
    // Still readable even if the process already exited: it stays a zombie until we reap it.
    const stat = readProcStat(pid);
    const record: ProcessRecord = {
      version: 1,
      taskId: spec.taskId,
      kind: spec.kind,
      appId: spec.appId,
      jobId: spec.jobId,
      runId: spec.runId,
      pid,
      startTicks: stat?.startTicks ?? -1,
      startedAt: stat ? startTicksToEpochMs(stat.startTicks) : Date.now(),
      argv,
      cwd,
      env,
      labels: taskLabels(spec, this.options.agentId),
      killGracePeriodMs: spec.killGracePeriodMs,
    };
    writeRecord(this.dataDir, record);
    const state: Child = { process: child, exited: Promise.resolve(), done: false };
    state.exited = new Promise<void>((done) => {
      child.once("exit", (code, signal) => {
        state.done = true;
        // A closed runtime stands for an agent that has gone: it learns nothing any more.
        if (!this.closing.signal.aborted) {
          const current = readRecord(this.dataDir, spec.taskId);
          if (current) writeRecord(this.dataDir, { ...current, exit: { code, signal, at: Date.now() } });
        }
        done();
      });
    });
    this.children.set(spec.taskId, state);
    return { taskId: spec.taskId, runtime: "process", handle: String(pid), startedAt: record.startedAt };
  }

  async kill(taskId: string, options: KillOptions = {}): Promise<void> {
    const record = readRecord(this.dataDir, taskId);
    if (!record || record.exit) return;
    const pgid = record.pid;
    // Only a leader that is provably ours is signalled: once it is gone, its pid (and so the
    // group id) may belong to a stranger, so leftovers of an exited leader are not chased.
    if (identify(record.pid, record.startTicks) !== "alive") return this.settle(taskId);
    const grace = options.gracePeriodMs ?? record.killGracePeriodMs;
    signalGroup(pgid, "SIGTERM");
    if (await this.waitGroupGone(pgid, grace)) return this.settle(taskId);
    signalGroup(pgid, "SIGKILL");
    if (await this.waitGroupGone(pgid, SIGKILL_WAIT_MS)) return this.settle(taskId);
    throw new RuntimeError(
      "RUNTIME_FAILED",
      `task ${taskId} (process group ${pgid}) still runs ${SIGKILL_WAIT_MS} ms after SIGKILL`,
    );
  }

  async inspect(taskId: string): Promise<TaskObservation | undefined> {
    const record = readRecord(this.dataDir, taskId);
    return record ? this.observe(record) : undefined;
  }

  async list(): Promise<TaskObservation[]> {
    return readAllRecords(this.dataDir).map((r) => this.observe(r));
  }

  async wait(taskId: string, options: WaitOptions = {}): Promise<TaskObservation> {
    const signal = options.signal
      ? AbortSignal.any([this.closing.signal, options.signal])
      : this.closing.signal;
    let onAbort = () => {};
    const aborted = new Promise<void>((r) => {
      onAbort = () => r();
      signal.addEventListener("abort", onAbort, { once: true });
    });
    try {
      for (;;) {
        const record = readRecord(this.dataDir, taskId);
        if (!record) throw new RuntimeError("UNKNOWN_TASK", `no task ${taskId} on this agent`);
        const seen = this.observe(record);
        if (seen.state === "exited") return seen;
        if (signal.aborted) throw new RuntimeError("RUNTIME_FAILED", `stopped waiting for task ${taskId}`);
        const own = this.children.get(taskId);
        await Promise.race([own ? own.exited : sleep(this.pollIntervalMs), aborted]);
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
    }
  }

  async logs(taskId: string, options: LogOptions = {}): Promise<string> {
    if (!readRecord(this.dataDir, taskId)) throw new RuntimeError("UNKNOWN_TASK", `no task ${taskId}`);
    const dir = sandboxDir(this.dataDir, taskId);
    const stream = options.stream ?? "all";
    const stdout = stream === "stderr" ? "" : await readLogFile(join(dir, "stdout"), options.tail);
    const stderr = stream === "stdout" ? "" : await readLogFile(join(dir, "stderr"), options.tail);
    return stdout + stderr;
  }

  async exec(taskId: string, command: string, options: ExecOptions): Promise<ExecResult> {
    const record = readRecord(this.dataDir, taskId);
    if (!record) throw new RuntimeError("UNKNOWN_TASK", `no task ${taskId} on this agent`);
    return execOnHost(command, { cwd: record.cwd, env: record.env, ...options });
  }

  async remove(taskId: string): Promise<void> {
    const record = readRecord(this.dataDir, taskId);
    if (record && this.observe(record).state === "running") {
      throw new RuntimeError("TASK_RUNNING", `task ${taskId} still runs; kill it before removing it`);
    }
    this.children.delete(taskId);
    rmSync(sandboxDir(this.dataDir, taskId), { recursive: true, force: true });
  }

  async close(): Promise<void> {
    this.closing.abort();
  }

  private observe(record: ProcessRecord): TaskObservation {
    const base: TaskObservation = {
      taskId: record.taskId,
      runtime: "process",
      handle: String(record.pid),
      kind: record.kind,
      appId: record.appId,
      jobId: record.jobId,
      runId: record.runId,
      state: "exited",
      startedAt: record.startedAt,
      labels: record.labels,
      adopted: !this.children.has(record.taskId),
    };
    if (record.exit) {
      return {
        ...base,
        finishedAt: record.exit.at,
        exitCode: record.exit.code,
        ...(record.exit.signal ? { signal: record.exit.signal } : {}),
      };
    }
    const own = this.children.get(record.taskId);
    if (own && !own.done && !this.closing.signal.aborted) return { ...base, state: "running" };
    const who = identify(record.pid, record.startTicks);
    if (who === "alive") return { ...base, state: "running" };
    const note =
      who === "reused"
        ? `pid ${record.pid} now belongs to another process: the task's process is gone, exit code unknown`
        : "exited while no agent was watching it (adopted after a restart): exit code unknown";
    return { ...base, exitCode: null, note };
  }

  /** Polls /proc until no live process is left in the group; false when `ms` passed first. */
  private async waitGroupGone(pgid: number, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    const step = Math.min(this.pollIntervalMs, 25);
    for (;;) {
      if (!groupAlive(pgid)) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(step, Math.max(1, deadline - Date.now())));
    }
  }

  /** For a child of ours, lets its exit event land in the record before kill() returns. */
  private async settle(taskId: string): Promise<void> {
    const own = this.children.get(taskId);
    if (own) await Promise.race([own.exited, sleep(1000)]);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already empty.
  }
}

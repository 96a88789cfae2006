/**
 * The Docker runtime: one container per task, named `flotilla-<taskId>` and labelled with the
 * task, app/job and agent ids, on the host network with an init process and cpu/memory limits.
 * Exited containers are kept (their logs and exit codes stay readable) until remove().
 */
import {
  DockerClient,
  type DockerResponse,
  demultiplex,
  dockerSocketPath,
  isTimeoutOrAbort,
  type LogFrame,
} from "./docker-client.js";
import { type ContainerJson, containerName, createBody, observeContainer } from "./docker-container.js";
import { execInContainer } from "./docker-exec.js";
import { imageMissing, pullImage } from "./docker-image.js";
import { tailLines, validateSpec } from "./env.js";
import { RuntimeError } from "./errors.js";
import {
  type ContainerRuntime,
  type ExecOptions,
  type ExecResult,
  type KillOptions,
  LABELS,
  type LogOptions,
  type RunningTask,
  type TaskLaunchSpec,
  type TaskObservation,
  type WaitOptions,
} from "./types.js";

export interface DockerRuntimeOptions {
  /** `unix:///path/docker.sock`; default /var/run/docker.sock. */
  dockerHost?: string;
  /** Labels containers, and limits list() to this agent's containers. */
  agentId?: string;
  /** Pull images that are missing (default false: no registry is assumed reachable). */
  pull?: boolean;
  /** Grace for kill() of a container whose label does not say (default 10 s). */
  defaultKillGracePeriodMs?: number;
}

const SIGKILL_WAIT_MS = 10_000;

/** Whether a Docker daemon answers `/_ping` on that host within `timeoutMs` (for runtime "auto"). */
export async function detectDocker(dockerHost?: string, timeoutMs = 500): Promise<boolean> {
  let client: DockerClient;
  try {
    client = new DockerClient(dockerSocketPath(dockerHost));
  } catch {
    return false;
  }
  try {
    return await client.ping(timeoutMs);
  } finally {
    await client.close();
  }
}

export class DockerRuntime implements ContainerRuntime {
  readonly kind = "docker" as const;
  private readonly client: DockerClient;
  private readonly closing = new AbortController();

  constructor(private readonly options: DockerRuntimeOptions = {}) {
    this.client = new DockerClient(dockerSocketPath(options.dockerHost));
  }

  get socketPath(): string {
    return this.client.socketPath;
  }

  /** Throws RUNTIME_UNAVAILABLE (naming the socket) when no daemon answers. */
  async ping(): Promise<void> {
    const res = await this.client.call("/_ping", { timeoutMs: 2000 });
    if (res.status !== 200) {
      throw new RuntimeError("RUNTIME_UNAVAILABLE", `Docker at unix://${this.socketPath}: ${res.message()}`);
    }
  }

  async launch(spec: TaskLaunchSpec): Promise<RunningTask> {
    validateSpec(spec);
    const image = spec.image;
    if (!image) {
      throw new RuntimeError(
        "INVALID_SPEC",
        `task ${spec.taskId} has no image; the Docker runtime runs images`,
      );
    }
    const name = containerName(spec.taskId);
    const create = () =>
      this.client.call("/containers/create", {
        method: "POST",
        query: { name },
        body: createBody(spec, this.options.agentId),
      });
    let res = await create();
    if (res.status === 404 && this.options.pull) {
      await pullImage(this.client, image);
      res = await create();
    }
    if (res.status === 404) throw imageMissing(image, this.socketPath);
    if (res.status === 409) {
      throw new RuntimeError("TASK_EXISTS", `task ${spec.taskId} already has a container (${name})`);
    }
    this.expect(res, 201, `create the container of task ${spec.taskId}`);
    const { Id } = res.json<{ Id: string }>();
    const start = await this.client.call(`/containers/${Id}/start`, { method: "POST" });
    if (start.status !== 204 && start.status !== 304) this.expect(start, 204, `start task ${spec.taskId}`);
    return { taskId: spec.taskId, runtime: "docker", handle: Id, startedAt: Date.now() };
  }

  async kill(taskId: string, options: KillOptions = {}): Promise<void> {
    const json = await this.container(taskId);
    if (!json?.State.Running) return;
    const label = Number(json.Config.Labels?.[LABELS.killGraceMs]);
    const grace =
      options.gracePeriodMs ??
      (Number.isFinite(label) ? label : (this.options.defaultKillGracePeriodMs ?? 10_000));
    if (!(await this.signal(json.Id, "SIGTERM"))) return;
    if (await this.waitStopped(json.Id, grace)) return;
    if (!(await this.signal(json.Id, "SIGKILL"))) return;
    if (await this.waitStopped(json.Id, SIGKILL_WAIT_MS)) return;
    throw new RuntimeError("RUNTIME_FAILED", `task ${taskId} still runs ${SIGKILL_WAIT_MS} ms after SIGKILL`);
  }

  async inspect(taskId: string): Promise<TaskObservation | undefined> {
    const json = await this.container(taskId);
    return json ? observeContainer(json) : undefined;
  }

  async list(): Promise<TaskObservation[]> {
    const label = [LABELS.taskId as string];
    if (this.options.agentId) label.push(`${LABELS.agentId}=${this.options.agentId}`);
    const res = await this.client.call("/containers/json", {
      query: { all: true, filters: JSON.stringify({ label }) },
    });
    this.expect(res, 200, "list containers");
    const ids = res.json<Array<{ Id: string }>>().map((c) => c.Id);
    const seen: TaskObservation[] = [];
    // A few inspects at a time: list() runs at start-up, when the daemon is busy enough.
    for (let i = 0; i < ids.length; i += 8) {
      const batch = await Promise.all(ids.slice(i, i + 8).map((id) => this.byId(id)));
      for (const json of batch) if (json) seen.push(observeContainer(json));
    }
    return seen;
  }

  async wait(taskId: string, options: WaitOptions = {}): Promise<TaskObservation> {
    const json = await this.container(taskId);
    if (!json) throw new RuntimeError("UNKNOWN_TASK", `no container for task ${taskId}`);
    if (json.State.Running) {
      const signal = options.signal
        ? AbortSignal.any([this.closing.signal, options.signal])
        : this.closing.signal;
      await this.client.call(`/containers/${json.Id}/wait`, {
        method: "POST",
        query: { condition: "not-running" },
        timeoutMs: 0,
        signal,
      });
    }
    const after = await this.byId(json.Id);
    if (!after) throw new RuntimeError("UNKNOWN_TASK", `the container of task ${taskId} was removed`);
    return observeContainer(after);
  }

  async logs(taskId: string, options: LogOptions = {}): Promise<string> {
    const stream = options.stream ?? "all";
    const { tail } = options;
    if (tail === undefined || stream === "all") return text(await this.logFrames(taskId, stream, tail));
    // Docker counts `tail` over both streams before it filters one out: widen until enough lines.
    for (let window = Math.max(100, tail * 2); ; window *= 4) {
      const frames = await this.logFrames(taskId, "all", window);
      const mine = text(frames.filter((f) => f.stream === stream));
      if (frames.length < window || mine.split("\n").length > tail) return tailLines(mine, tail);
    }
  }

  async exec(taskId: string, command: string, options: ExecOptions): Promise<ExecResult> {
    return execInContainer(this.client, taskId, command, options);
  }

  async remove(taskId: string): Promise<void> {
    const res = await this.client.call(`/containers/${containerName(taskId)}`, {
      method: "DELETE",
      query: { v: true },
    });
    if (res.status === 404 || res.status === 204) return;
    if (res.status === 409) {
      throw new RuntimeError("TASK_RUNNING", `task ${taskId} still runs; kill it before removing it`);
    }
    this.expect(res, 204, `remove task ${taskId}`);
  }

  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    await this.client.close();
  }

  /** The container of a task, only if its labels say it is that task (and this agent's). */
  private async container(taskId: string): Promise<ContainerJson | undefined> {
    const json = await this.byId(containerName(taskId));
    const labels = json?.Config.Labels ?? {};
    if (!json || labels[LABELS.taskId] !== taskId) return undefined;
    if (this.options.agentId && labels[LABELS.agentId] !== this.options.agentId) return undefined;
    return json;
  }

  private async byId(id: string): Promise<ContainerJson | undefined> {
    const res = await this.client.call(`/containers/${id}/json`);
    if (res.status === 404) return undefined;
    this.expect(res, 200, `inspect container ${id}`);
    return res.json<ContainerJson>();
  }

  private async logFrames(taskId: string, stream: "stdout" | "stderr" | "all", tail: number | undefined) {
    const res = await this.client.call(`/containers/${containerName(taskId)}/logs`, {
      query: {
        stdout: stream !== "stderr",
        stderr: stream !== "stdout",
        tail: tail === undefined ? "all" : Math.max(0, tail),
      },
    });
    if (res.status === 404) throw new RuntimeError("UNKNOWN_TASK", `no container for task ${taskId}`);
    this.expect(res, 200, `read the logs of task ${taskId}`);
    return demultiplex(res.body);
  }

  /** Sends a signal; false when the container is no longer running (409) or gone (404). */
  private async signal(id: string, signal: string): Promise<boolean> {
    const res = await this.client.call(`/containers/${id}/kill`, { method: "POST", query: { signal } });
    if (res.status === 409 || res.status === 404) return false;
    this.expect(res, 204, `send ${signal} to container ${id}`);
    return true;
  }

  /** True once the container has stopped; false when `ms` passed first. */
  private async waitStopped(id: string, ms: number): Promise<boolean> {
    try {
      const res = await this.client.call(`/containers/${id}/wait`, {
        method: "POST",
        query: { condition: "not-running" },
        timeoutMs: Math.max(1, ms),
      });
      return res.status === 200 || res.status === 404;
    } catch (err) {
      if (isTimeoutOrAbort(err)) {
        // Our own timeout (the daemon answered the kill a moment ago); still running?
        const json = await this.byId(id);
        return !json?.State.Running;
      }
      throw err;
    }
  }

  private expect(res: DockerResponse, status: number, what: string): void {
    if (res.status !== status) {
      throw new RuntimeError(
        "RUNTIME_FAILED",
        `Docker at unix://${this.socketPath} could not ${what} (${res.status}): ${res.message()}`,
      );
    }
  }
}

function text(frames: LogFrame[]): string {
  return Buffer.concat(frames.map((f) => f.data)).toString("utf8");
}

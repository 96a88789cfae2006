/**
 * Translation between Flotilla's task model and Docker's container model: the create body of a
 * launch spec, and a TaskObservation of a container's inspect answer.
 */
import { taskEnv, taskLabels } from "./env.js";
import { LABELS, type TaskLaunchSpec, type TaskObservation } from "./types.js";

export const CONTAINER_PREFIX = "flotilla-";

/** Task ids are restricted (env.ts) to characters Docker allows in names. */
export function containerName(taskId: string): string {
  return `${CONTAINER_PREFIX}${taskId}`;
}

/**
 * The `POST /containers/create` body: host networking (ports come from offers), an init process
 * (so SIGTERM reaches the command even when PID 1 would ignore it), cpu and memory limits, labels
 * that let a restarted agent find its containers. No AutoRemove: logs stay until remove().
 */
export function createBody(spec: TaskLaunchSpec, agentId: string | undefined): Record<string, unknown> {
  const env = taskEnv(spec);
  const hostConfig: Record<string, unknown> = {
    NetworkMode: "host",
    Init: true,
    RestartPolicy: { Name: "no" },
  };
  if (spec.cpus > 0) hostConfig.NanoCpus = Math.round(spec.cpus * 1e9);
  // Docker refuses limits under 6 MB; a smaller mem is treated as "no limit" rather than failing.
  if (spec.mem >= 6) hostConfig.Memory = Math.round(spec.mem * 1024 * 1024);
  if (spec.gpus && spec.gpus > 0) {
    hostConfig.DeviceRequests = [{ Driver: "", Count: spec.gpus, Capabilities: [["gpu"]] }];
  }
  const body: Record<string, unknown> = {
    Image: spec.image,
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    Labels: taskLabels(spec, agentId),
    StopTimeout: Math.ceil(spec.killGracePeriodMs / 1000),
    HostConfig: hostConfig,
  };
  if (spec.cmd) {
    // Marathon/Mesos semantics: a cmd runs through the shell, replacing the image's entrypoint.
    body.Entrypoint = ["/bin/sh", "-c"];
    body.Cmd = [spec.cmd];
  } else if (spec.args?.length) {
    body.Cmd = spec.args;
  }
  if (spec.workDir) body.WorkingDir = spec.workDir;
  return body;
}

/** The parts of `GET /containers/{id}/json` that are read. */
export interface ContainerJson {
  Id: string;
  Config: { Labels: Record<string, string> | null };
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
    OOMKilled: boolean;
    Error: string;
  };
}

/** Docker writes "0001-01-01T00:00:00Z" for times that have not happened. */
function time(text: string | undefined): number | undefined {
  if (!text || text.startsWith("0001-")) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

export function observeContainer(json: ContainerJson): TaskObservation {
  const labels = json.Config.Labels ?? {};
  const kind = labels[LABELS.kind] === "job" ? "job" : "service";
  const state = json.State;
  const running = state.Running || state.Status === "restarting" || state.Status === "paused";
  const observation: TaskObservation = {
    taskId: labels[LABELS.taskId] ?? json.Id,
    runtime: "docker",
    handle: json.Id,
    kind,
    state: running ? "running" : "exited",
    labels,
  };
  const appId = labels[LABELS.appId];
  const jobId = labels[LABELS.jobId];
  const runId = labels[LABELS.runId];
  if (appId) observation.appId = appId;
  if (jobId) observation.jobId = jobId;
  if (runId) observation.runId = runId;
  const startedAt = time(state.StartedAt);
  if (startedAt !== undefined) observation.startedAt = startedAt;
  if (!running) {
    observation.exitCode = state.ExitCode;
    const finishedAt = time(state.FinishedAt);
    if (finishedAt !== undefined) observation.finishedAt = finishedAt;
    if (state.OOMKilled) observation.oomKilled = true;
    if (state.Status === "created")
      observation.note = `never started${state.Error ? `: ${state.Error}` : ""}`;
    else if (state.Error) observation.note = state.Error;
  }
  return observation;
}

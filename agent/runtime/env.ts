/**
 * The environment and labels every runtime gives a task, built the same way for Docker and
 * processes: Marathon's port variables (PORT0..n, PORT_<NAME>, PORTS, plus PORT for the first),
 * HOST, and the task id under its Mesos and Flotilla names.
 */
import { RuntimeError } from "./errors.js";
import { LABELS, type TaskLaunchSpec } from "./types.js";

const TASK_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,199}$/;

/** `web-ui` → `PORT_WEB_UI`: upper-cased, every character outside A-Z0-9 becomes `_`. */
export function portEnvName(name: string): string {
  return `PORT_${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * The task's full environment: the app's env first, then the runtime's variables, which win
 * (a package cannot fake its own PORT0 or task id).
 *
 * @example taskEnv({ ..., ports: [{ port: 31001, name: "http" }] })
 *   // → { ..., PORT0: "31001", PORT: "31001", PORT_HTTP: "31001", PORTS: "31001", HOST: "127.0.0.1" }
 */
export function taskEnv(spec: TaskLaunchSpec): Record<string, string> {
  const env: Record<string, string> = { ...spec.env };
  spec.ports.forEach((p, i) => {
    env[`PORT${i}`] = String(p.port);
    if (p.name) env[portEnvName(p.name)] = String(p.port);
  });
  if (spec.ports[0]) env.PORT = String(spec.ports[0].port);
  env.PORTS = spec.ports.map((p) => p.port).join(",");
  env.HOST = spec.host ?? "127.0.0.1";
  env.MESOS_TASK_ID = spec.taskId;
  env.FLOTILLA_TASK_ID = spec.taskId;
  if (spec.appId) env.MARATHON_APP_ID = spec.appId;
  if (spec.jobId) env.FLOTILLA_JOB_ID = spec.jobId;
  if (spec.runId) env.FLOTILLA_RUN_ID = spec.runId;
  return env;
}

/** User labels plus the reserved `io.flotilla.*` ones (which the user cannot override). */
export function taskLabels(spec: TaskLaunchSpec, agentId: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(spec.labels)) if (!k.startsWith("io.flotilla.")) labels[k] = v;
  labels[LABELS.taskId] = spec.taskId;
  labels[LABELS.kind] = spec.kind;
  labels[LABELS.killGraceMs] = String(spec.killGracePeriodMs);
  if (spec.appId) labels[LABELS.appId] = spec.appId;
  if (spec.jobId) labels[LABELS.jobId] = spec.jobId;
  if (spec.runId) labels[LABELS.runId] = spec.runId;
  if (agentId) labels[LABELS.agentId] = agentId;
  return labels;
}

/** Rejects specs no runtime can run; the task id names a directory or a container, so it must be tame. */
export function validateSpec(spec: TaskLaunchSpec): void {
  if (!TASK_ID.test(spec.taskId)) {
    throw new RuntimeError(
      "INVALID_SPEC",
      `task id ${JSON.stringify(spec.taskId)} must be 1–200 letters, digits, ".", "_" or "-", starting with a letter or digit`,
    );
  }
  if (spec.cmd && spec.args?.length) {
    throw new RuntimeError("INVALID_SPEC", `task ${spec.taskId}: give either cmd or args, not both`);
  }
  for (const p of spec.ports) {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      throw new RuntimeError("INVALID_SPEC", `task ${spec.taskId}: host port ${p.port} is not 1–65535`);
    }
  }
  if (!(spec.killGracePeriodMs >= 0)) {
    throw new RuntimeError("INVALID_SPEC", `task ${spec.taskId}: killGracePeriodMs must be ≥ 0`);
  }
}

/** Keeps the last `tail` lines of a text (a trailing newline does not count as an empty line). */
export function tailLines(text: string, tail: number | undefined): string {
  if (tail === undefined) return text;
  if (tail <= 0) return "";
  const trailing = text.endsWith("\n");
  const lines = (trailing ? text.slice(0, -1) : text).split("\n");
  if (lines.length <= tail) return text;
  return lines.slice(-tail).join("\n") + (trailing ? "\n" : "");
}

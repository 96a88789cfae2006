/**
 * Health checks as Marathon apps declare them (universe's `HealthCheck` fits `HealthCheckSpec`),
 * normalised with Marathon's defaults, and the probe contract the monitor drives.
 */
import type { ExecOptions, ExecResult } from "../runtime/types.js";

export type HealthProtocol = "HTTP" | "HTTPS" | "TCP" | "COMMAND";

/** A health check as written in an app; omitted fields take Marathon's defaults. */
export interface HealthCheckSpec {
  /** HTTP (default), HTTPS, TCP, COMMAND; MESOS_HTTP/MESOS_HTTPS/MESOS_TCP mean the same here. */
  protocol?: string;
  path?: string;
  /** Index into the task's assigned host ports (default 0). */
  portIndex?: number;
  /** A fixed port instead of portIndex. */
  port?: number;
  command?: { value: string };
  gracePeriodSeconds?: number;
  intervalSeconds?: number;
  /** 0 = no timeout of its own (the probe may hang as long as the target lets it). */
  timeoutSeconds?: number;
  /** 0 = never kill. */
  maxConsecutiveFailures?: number;
  /** Wait before the first check (default 0: check at once). */
  delaySeconds?: number;
}

export interface NormalizedCheck {
  protocol: HealthProtocol;
  path: string;
  portIndex: number;
  port?: number;
  command?: string;
  gracePeriodMs: number;
  intervalMs: number;
  timeoutMs: number;
  maxConsecutiveFailures: number;
  delayMs: number;
}

const PROTOCOLS: Record<string, HealthProtocol> = {
  HTTP: "HTTP",
  MESOS_HTTP: "HTTP",
  HTTPS: "HTTPS",
  MESOS_HTTPS: "HTTPS",
  TCP: "TCP",
  MESOS_TCP: "TCP",
  COMMAND: "COMMAND",
};

/** Applies Marathon's defaults (grace 300 s, interval 60 s, timeout 20 s, 3 failures). */
export function normalizeCheck(spec: HealthCheckSpec): NormalizedCheck {
  const protocol = PROTOCOLS[(spec.protocol ?? "HTTP").toUpperCase()];
  if (!protocol) {
    throw new Error(`health check protocol ${spec.protocol} is not one of HTTP, HTTPS, TCP, COMMAND`);
  }
  if (protocol === "COMMAND" && !spec.command?.value) {
    throw new Error("a COMMAND health check needs command.value");
  }
  const seconds = (v: number | undefined, d: number) => Math.max(0, (v ?? d) * 1000);
  return {
    protocol,
    path: spec.path ?? "/",
    portIndex: spec.portIndex ?? 0,
    ...(spec.port ? { port: spec.port } : {}),
    ...(spec.command?.value ? { command: spec.command.value } : {}),
    gracePeriodMs: seconds(spec.gracePeriodSeconds, 300),
    intervalMs: seconds(spec.intervalSeconds, 60),
    timeoutMs: seconds(spec.timeoutSeconds, 20),
    maxConsecutiveFailures: Math.max(0, Math.floor(spec.maxConsecutiveFailures ?? 3)),
    delayMs: seconds(spec.delaySeconds, 0),
  };
}

export interface ProbeResult {
  ok: boolean;
  /** "HTTP 200", "connection refused (127.0.0.1:31001)", "timed out after 2 s", … */
  message: string;
}

/** One check attempt; must settle soon after `signal` aborts and never reject. */
export type Probe = (signal: AbortSignal) => Promise<ProbeResult>;

/** Where a task's checks go. */
export interface ProbeTarget {
  /** Default 127.0.0.1 (tasks run on host networking on this node). */
  host?: string;
  /** The task's assigned host ports, PORT0 first. */
  ports: number[];
  /** Runs a command in the task's context; needed for COMMAND checks (runtime.exec bound to the task). */
  exec?: (command: string, options: ExecOptions) => Promise<ExecResult>;
}

/**
 * Wires a health check to a running task: the probe aims at the task's assigned ports on this
 * node, and COMMAND checks run through the task's runtime (host process or `docker exec`).
 */
import type { ContainerRuntime } from "../runtime/types.js";
import { HealthMonitor, type HealthMonitorOptions } from "./monitor.js";
import { createProbe } from "./probes.js";
import { normalizeCheck } from "./types.js";

export interface TaskMonitorOptions extends Omit<HealthMonitorOptions, "probe"> {
  runtime: Pick<ContainerRuntime, "exec">;
  taskId: string;
  /** The task's assigned host ports, PORT0 first. */
  ports: number[];
  host?: string;
}

/**
 * @example
 *   const monitor = createTaskMonitor({ runtime, taskId, ports: [31001], check: app.healthChecks[0],
 *     startedAt, killLimit: { limiter, appId, taskId, instances: () => app.instances },
 *     onEvent: (e) => { if (e.type === "kill") void runtime.kill(taskId); } });
 *   monitor.start();
 */
export function createTaskMonitor(options: TaskMonitorOptions): HealthMonitor {
  const { runtime, taskId, ports, host, ...rest } = options;
  const probe = createProbe(normalizeCheck(options.check), {
    ports,
    ...(host ? { host } : {}),
    exec: (command, execOptions) => runtime.exec(taskId, command, execOptions),
  });
  return new HealthMonitor({ ...rest, probe });
}

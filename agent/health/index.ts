/** Health checks of the agent's tasks: probes, the per-task monitor, and the per-app kill limiter. */
export { KillLimiter, type KillLimiterOptions } from "./kill-limiter.js";
export {
  type HealthEvent,
  HealthMonitor,
  type HealthMonitorOptions,
  type HealthState,
  type HealthStatus,
} from "./monitor.js";
export { checkPort, commandProbe, createProbe, httpProbe, tcpProbe } from "./probes.js";
export { createTaskMonitor, type TaskMonitorOptions } from "./task-monitor.js";
export { ManualTimers, systemTimers, type Timers } from "./timers.js";
export * from "./types.js";

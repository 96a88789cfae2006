/**
 * The agent daemon: `createDaemon(config)` runs an agent in-process (tests, benchmarks); the
 * `flotilla-agent` bin (agent/main.ts) runs the same daemon as a process.
 */

export { type AgentIdentity, AgentSetupError, credentialPath, loadIdentity } from "./credential.js";
export {
  AGENT_VERSION,
  createDaemon,
  type Daemon,
  type DaemonExit,
  type DaemonOptions,
  type DaemonStatus,
  type DaemonTimings,
  DEFAULT_TIMINGS,
} from "./daemon.js";
export { GatewayClient, GatewayError, type GatewayErrorKind, isGatewayError } from "./gateway-client.js";
export { jsonLogger, type Logger, type LogLevel, silentLogger } from "./logger.js";
export { LocalStore, type StoredTask } from "./store.js";
export { type TaskSpec, TaskSpecSchema } from "./task-spec.js";

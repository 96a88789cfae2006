/** The agent's container runtimes: one interface, Docker / process / fake implementations. */

export { DockerRuntime, type DockerRuntimeOptions, detectDocker } from "./docker.js";
export { DockerClient, demultiplex, dockerSocketPath } from "./docker-client.js";
export { portEnvName, taskEnv, taskLabels } from "./env.js";
export { isRuntimeError, RuntimeError, type RuntimeErrorCode } from "./errors.js";
export { FakeRuntime, type FakeRuntimeOptions } from "./fake.js";
export { ProcessRuntime, type ProcessRuntimeOptions } from "./process.js";
export { type CreateRuntimeOptions, createRuntime, type RuntimeChoice } from "./select.js";
export * from "./types.js";

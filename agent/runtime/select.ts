/**
 * Picks the agent's container runtime once, at start: `docker` and `process` as asked, `auto`
 * = Docker when a daemon answers `/_ping` quickly, plain processes otherwise.
 */
import { DockerRuntime, detectDocker } from "./docker.js";
import { ProcessRuntime } from "./process.js";
import type { ContainerRuntime } from "./types.js";

export type RuntimeChoice = "docker" | "process" | "auto";

export interface CreateRuntimeOptions {
  kind: RuntimeChoice;
  /** The agent's data directory (process sandboxes and records). */
  dataDir: string;
  /** `unix:///path/docker.sock`; default /var/run/docker.sock. */
  dockerHost?: string;
  agentId?: string;
  /** Let the Docker runtime pull missing images (default false). */
  pull?: boolean;
  /** How long `auto` waits for the Docker daemon's answer (default 500 ms). */
  detectTimeoutMs?: number;
  /** Base environment of process tasks (default: PATH only). */
  baseEnv?: Record<string, string>;
}

/**
 * @example const runtime = await createRuntime({ kind: "auto", dataDir: "/var/lib/flotilla" });
 * For `docker`, a daemon that does not answer is an error (RUNTIME_UNAVAILABLE naming the socket).
 */
export async function createRuntime(options: CreateRuntimeOptions): Promise<ContainerRuntime> {
  const docker = () =>
    new DockerRuntime({
      ...(options.dockerHost ? { dockerHost: options.dockerHost } : {}),
      ...(options.agentId ? { agentId: options.agentId } : {}),
      pull: options.pull ?? false,
    });
  const processes = () =>
    new ProcessRuntime({
      dataDir: options.dataDir,
      ...(options.agentId ? { agentId: options.agentId } : {}),
      ...(options.baseEnv ? { baseEnv: options.baseEnv } : {}),
    });
  switch (options.kind) {
    case "process":
      return processes();
    case "docker": {
      const runtime = docker();
      try {
        await runtime.ping();
      } catch (err) {
        await runtime.close();
        throw err;
      }
      return runtime;
    }
    case "auto":
      return (await detectDocker(options.dockerHost, options.detectTimeoutMs ?? 500))
        ? docker()
        : processes();
  }
}

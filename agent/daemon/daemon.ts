/**
 * The agent daemon: local store → identity (registered once) → container runtime → the
 * running loops (agent-loops.ts). `createDaemon(config)` runs it in-process (tests,
 * benchmarks); the `flotilla-agent` bin (agent/main.ts) runs the same thing as a process.
 * Stopping stops polling and launching, gives the lease up, flushes the outbox with a deadline
 * and closes the store; workloads keep running. A credential the gateway refuses (the agent
 * was deleted) ends the daemon with reason `unauthorized`.
 */
import { readFileSync } from "node:fs";
import type { Inventory } from "../../gateway/contract/agent.js";
import type { AgentConfig } from "../config.js";
import type { Timers } from "../health/timers.js";
import { evaluateJobs } from "../jobs/engine.js";
import type { JobsDecision, JobsTick } from "../jobs/types.js";
import { createRuntime } from "../runtime/select.js";
import type { ContainerRuntime } from "../runtime/types.js";
import { AgentLoops } from "./agent-loops.js";
import { type AgentIdentity, AgentSetupError, credentialPath, ensureIdentity } from "./credential.js";
import { GatewayClient } from "./gateway-client.js";
import { GatewayContact } from "./gateway-contact.js";
import { ulidFactory } from "./ids.js";
import { jsonLogger, type Logger } from "./logger.js";
import { LocalStore, type StoredTask } from "./store.js";
import { daemonTimers } from "./timers.js";
import { type DaemonTimings, DEFAULT_TIMINGS } from "./timings.js";

export { type DaemonTimings, DEFAULT_TIMINGS } from "./timings.js";

export const AGENT_VERSION = "0.1.0";

export interface DaemonOptions {
  /** A runtime to use instead of the one `config.runtime` selects (e.g. a FakeRuntime). */
  runtime?: ContainerRuntime;
  timers?: Timers;
  /** Timers of the health checks (default: the system's). */
  healthTimers?: Timers;
  logger?: Logger;
  evaluateJobs?: (tick: JobsTick) => JobsDecision;
  random?: () => number;
  timings?: Partial<DaemonTimings>;
}

export type DaemonExit = { reason: "stopped" } | { reason: "unauthorized" | "failed"; message: string };

export interface DaemonStatus {
  agentId: string;
  clusterId: string;
  holder: boolean;
  epoch: number;
  revision: number | undefined;
  tasks: StoredTask[];
  /** Updates waiting for the gateway (-1 once the daemon is stopping: the store is closed). */
  outboxQueued: number;
  schedulingCycles: number;
}

export interface Daemon {
  /** Registers (first start), recovers and starts every loop. Rejects on a setup error. */
  start(): Promise<void>;
  /** Stops; workloads keep running. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the daemon has stopped, with why. */
  readonly done: Promise<DaemonExit>;
  /** This agent's identity, once registered. */
  readonly identity: AgentIdentity | undefined;
  status(): Promise<DaemonStatus>;
}

/**
 * @example
 *   const daemon = createDaemon(parseAgentConfig(argv, env));
 *   await daemon.start();
 *   process.once("SIGTERM", () => void daemon.stop());
 *   const exit = await daemon.done;
 */
export function createDaemon(config: AgentConfig, options: DaemonOptions = {}): Daemon {
  const timings = { ...DEFAULT_TIMINGS, ...options.timings };
  const timers = options.timers ?? daemonTimers;
  const rootLogger =
    options.logger ??
    jsonLogger((line) => process.stdout.write(`${line}\n`), { component: "agent" }, config.logLevel);
  const setup = new AbortController();
  let finish: (exit: DaemonExit) => void = () => {};
  const done = new Promise<DaemonExit>((r) => {
    finish = r;
  });
  let store: LocalStore | undefined;
  let client: GatewayClient | undefined;
  let identity: AgentIdentity | undefined;
  let runtime: ContainerRuntime | undefined;
  let loops: AgentLoops | undefined;
  let started: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;
  let exit: DaemonExit = { reason: "stopped" };

  const unauthorized = (err: Error) => {
    if (stopping) return;
    const message = `the gateway refused this agent's credential (${err.message}): the agent was probably deleted; remove ${credentialPath(config.dataDir)} and start it again with a new join token`;
    rootLogger.error("credential refused; stopping", { error: message });
    exit = { reason: "unauthorized", message };
    void daemon.stop();
  };

  async function run(): Promise<void> {
    store = await LocalStore.open(config.dataDir);
    const ca = config.caFile ? readCa(config.caFile) : undefined;
    const contact = new GatewayContact(() => timers.now());
    client = new GatewayClient({
      baseUrl: config.gateway,
      requestTimeoutMs: timings.requestTimeoutMs,
      contact,
      ...(ca && { ca }),
    });
    const inventory: Inventory = {
      resources: { ...config.resources, ports: config.ports },
      attributes: config.attributes,
      agentVersion: AGENT_VERSION,
    };
    identity = await ensureIdentity({
      client,
      gateway: config.gateway,
      joinToken: config.joinToken,
      hostname: config.hostname,
      inventory,
      dataDir: config.dataDir,
      timers,
      logger: rootLogger,
      signal: setup.signal,
      backoff: { baseMs: timings.backoffBaseMs, capMs: timings.backoffCapMs },
    });
    client.authenticate(identity);
    runtime =
      options.runtime ??
      (await createRuntime({
        kind: config.runtime,
        dataDir: config.dataDir,
        agentId: identity.agentId,
        ...(config.dockerHost && { dockerHost: config.dockerHost }),
      }));
    if (setup.signal.aborted) return;
    const logger = rootLogger.child({ agentId: identity.agentId });
    logger.info("agent starting", {
      runtime: runtime.kind,
      cluster: identity.clusterName,
      gateway: config.gateway,
    });
    loops = new AgentLoops({
      identity,
      store,
      client,
      contact,
      runtime,
      inventory,
      timings,
      timers,
      ...(options.healthTimers && { healthTimers: options.healthTimers }),
      logger,
      newId: ulidFactory(() => timers.now()),
      random: options.random ?? Math.random,
      evaluateJobs: options.evaluateJobs ?? evaluateJobs,
      onUnauthorized: unauthorized,
    });
    await loops.start();
  }

  const daemon: Daemon = {
    get identity() {
      return identity;
    },
    done,
    start() {
      started ??= run().catch(async (err) => {
        const message =
          err instanceof AgentSetupError ? err.message : `agent failed to start: ${(err as Error).message}`;
        // A stop during the start (e.g. while waiting to register) is a stop, not a failure.
        if (!stopping) exit = { reason: "failed", message };
        await daemon.stop();
        throw err;
      });
      return started;
    },
    stop() {
      stopping ??= (async () => {
        setup.abort();
        const logger = identity ? rootLogger.child({ agentId: identity.agentId }) : rootLogger;
        try {
          await loops?.stop({
            release: exit.reason === "stopped",
            flushMs: exit.reason === "unauthorized" ? undefined : timings.stopFlushMs,
          });
          // A runtime handed in belongs to the caller.
          if (!options.runtime) await runtime?.close();
          await client?.close();
          await store?.close();
        } catch (err) {
          logger.error("error while stopping", { error: err });
        }
        logger.info("agent stopped", { reason: exit.reason });
        finish(exit);
      })();
      return stopping;
    },
    async status() {
      if (!identity || !store) throw new Error("the daemon has not started");
      return {
        agentId: identity.agentId,
        clusterId: identity.clusterId,
        holder: loops?.lease.isHolder() ?? false,
        epoch: loops?.lease.epoch ?? 0,
        revision: loops?.poller.current?.revision,
        tasks: loops?.executor.rows() ?? [],
        outboxQueued: stopping ? -1 : await store.outboxSize(),
        schedulingCycles: loops?.scheduling.completedCycles ?? 0,
      };
    },
  };
  return daemon;
}

function readCa(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new AgentSetupError(`--ca-file / FLOTILLA_CA_FILE: cannot read ${path}: ${(err as Error).message}`);
  }
}

/**
 * Helpers of the agent daemon's integration tests (and of the fault tests and benchmarks that
 * build on them): a real gateway on Node over loopback HTTP with a temp file database, an
 * operator API client, clusters and join tokens, publishing a bundle, in-process daemons with
 * the process runtime (each on its own block of host ports), `waitFor`, and clean-up that
 * kills every process a test's agents started, even when the test failed.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AgentConfig } from "../../agent/config.js";
import {
  createDaemon,
  type Daemon,
  type DaemonOptions,
  type DaemonTimings,
} from "../../agent/daemon/daemon.js";
import { silentLogger as silentAgentLogger } from "../../agent/daemon/logger.js";
import { identify } from "../../agent/runtime/proc.js";
import { readAllRecords } from "../../agent/runtime/process-record.js";
import { DEFAULT_CONFIG, type GatewayConfig } from "../../gateway/config.js";
import type { ClusterStatus, InstallStatus } from "../../gateway/contract/installs.js";
import { silentLogger } from "../../gateway/deps.js";
import { type NodeGateway, startNodeGateway } from "../../gateway/runtime/node/start.js";
import { packBundle } from "../../universe/bundle/index.js";

export const ADMIN_TOKEN = "flt_agent-test-admin-token-0123456789";

/** Polls `probe` until it returns something other than undefined/false; fails after `timeout` ms. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeout?: number; interval?: number } = {},
): Promise<T> {
  const timeout = options.timeout ?? 30_000;
  const deadline = Date.now() + timeout;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = undefined;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeout} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message ?? last})` : ""}`,
      );
    await new Promise((r) => setTimeout(r, options.interval ?? 100));
  }
}

export interface TestGateway {
  url: string;
  gateway: NodeGateway;
  /** A temporary folder for the test's files (the database, config, bundles); removed by close(). */
  dir: string;
  /** JSON of an operator request that must answer `status` (default 200). */
  api<T = Record<string, unknown>>(
    path: string,
    init?: { method?: string; body?: unknown },
    status?: number,
  ): Promise<T>;
  close(): Promise<void>;
}

/** A client of the operator API at `url` with the tests' admin token (TestGateway["api"]). */
export function adminApi(url: () => string): TestGateway["api"] {
  return async (path, init = {}, status = 200) => {
    const res = await fetch(`${url()}${path}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
      ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
    });
    const text = await res.text();
    if (res.status !== status)
      throw new Error(
        `${init.method ?? "GET"} ${path}: expected ${status}, got ${res.status}: ${text.slice(0, 500)}`,
      );
    return (text ? JSON.parse(text) : undefined) as never;
  };
}

/** A real gateway on 127.0.0.1 (a free port) with a fresh file database. */
export async function startTestGateway(config: Partial<GatewayConfig> = {}): Promise<TestGateway> {
  const dir = await mkdtemp(join(tmpdir(), "flotilla-gw-"));
  const gateway = await startNodeGateway({
    config: { ...DEFAULT_CONFIG, adminToken: ADMIN_TOKEN, ...config },
    logger: silentLogger,
    databaseUrl: `file:${join(dir, "gateway.db")}`,
    host: "127.0.0.1",
    port: 0,
    secretsKeyFile: join(dir, "secrets.key"),
  });
  return {
    url: gateway.url,
    gateway,
    dir,
    api: adminApi(() => gateway.url),
    async close() {
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A new cluster and a join token for it (several uses). */
export async function newTestCluster(
  gw: TestGateway,
): Promise<{ id: string; name: string; joinToken: string }> {
  const name = `cl-${Math.random().toString(36).slice(2, 10)}`;
  const cluster = await gw.api<{ id: string; name: string }>("/v1/clusters", { body: { name } }, 201);
  const token = await gw.api<{ token: string }>(
    `/v1/clusters/${cluster.id}/join-tokens`,
    { body: { maxUses: 10 } },
    201,
  );
  return { ...cluster, joinToken: token.token };
}

/** Publishes a bundle made of `files` (package.json at the root). */
export async function publishBundle(gw: TestGateway, files: Record<string, string>): Promise<void> {
  const { archive } = await packBundle(files);
  const res = await fetch(`${gw.url}/v1/packages`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/gzip" },
    body: archive,
  });
  if (res.status !== 201) throw new Error(`publishing failed: ${res.status} ${await res.text()}`);
}

let nextBlock = Math.floor(Math.random() * 90);
/** A block of host ports that no other test file's agents use (20000–29999, in blocks of 100). */
export function portBlock(): [number, number] {
  nextBlock = (nextBlock + 1 + Math.floor(Math.random() * 7)) % 100;
  const from = 20_000 + nextBlock * 100;
  return [from, from + 99];
}

/** Timings that make a test cluster converge in seconds. */
export const FAST_TIMINGS: Partial<DaemonTimings> = {
  pollIntervalMs: 250,
  backoffBaseMs: 100,
  backoffCapMs: 1_000,
  scheduleActiveMs: 300,
  scheduleIdleMs: 1_000,
  stopFlushMs: 3_000,
  resyncMs: 2_000,
  offlineStartMs: 2_000,
};

export interface TestAgent {
  daemon: Daemon;
  config: AgentConfig;
  dataDir: string;
  /** Stops the daemon (workloads keep running). */
  stop(): Promise<void>;
}

export interface TestAgentOptions {
  hostname?: string;
  dataDir?: string;
  ports?: [number, number];
  attributes?: Record<string, string>;
  resources?: Partial<AgentConfig["resources"]>;
  daemon?: DaemonOptions;
  /** Omit to start from a stored credential. */
  joinToken?: string;
}

/** Every agent data dir made by `startTestAgent`, for `cleanUpAgents`. */
const dataDirs = new Set<string>();
const daemons = new Set<Daemon>();

/** A daemon in this process with the process runtime, started (registered) and running. */
export async function startTestAgent(gw: TestGateway, options: TestAgentOptions = {}): Promise<TestAgent> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "flotilla-agent-")));
  dataDirs.add(dataDir);
  const config: AgentConfig = {
    gateway: gw.url,
    ...(options.joinToken && { joinToken: options.joinToken }),
    dataDir,
    runtime: "process",
    resources: { cpus: 4, mem: 4096, disk: 10_000, gpus: 0, ...options.resources },
    attributes: options.attributes ?? {},
    ports: [options.ports ?? portBlock()],
    hostname: options.hostname ?? `node-${Math.random().toString(36).slice(2, 8)}`,
    logLevel: "info",
  };
  const daemon = createDaemon(config, {
    logger: process.env.FLOTILLA_TEST_LOGS ? undefined : silentAgentLogger,
    ...options.daemon,
    timings: { ...FAST_TIMINGS, ...options.daemon?.timings },
  } as DaemonOptions);
  daemons.add(daemon);
  await daemon.start();
  return { daemon, config, dataDir, stop: () => daemon.stop() };
}

/** Pids of the live processes an agent's process runtime started. */
export function liveTaskPids(dataDir: string): number[] {
  return readAllRecords(dataDir)
    .filter((r) => identify(r.pid, r.startTicks) === "alive")
    .map((r) => r.pid);
}

export interface SpawnedAgent {
  child: ChildProcess;
  dataDir: string;
  /** stdout and stderr lines so far (JSON log lines, and errors). */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` (default SIGTERM) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Runs the `flotilla-agent` bin (agent/main.ts, through tsx, so no build is needed) as a child
 * process with the process runtime; `args` are added to its command line.
 */
export async function spawnAgent(
  gw: TestGateway,
  options: {
    dataDir?: string;
    joinToken?: string;
    ports?: [number, number];
    hostname?: string;
    args?: string[];
  } = {},
): Promise<SpawnedAgent> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "flotilla-agent-")));
  dataDirs.add(dataDir);
  const [from, to] = options.ports ?? portBlock();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      join(ROOT, "agent/main.ts"),
      "--runtime",
      "process",
      "--ports",
      `${from}-${to}`,
      "--cpus",
      "4",
      "--mem",
      "4096",
      "--disk",
      "10000",
      "--hostname",
      options.hostname ?? `node-${Math.random().toString(36).slice(2, 8)}`,
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        FLOTILLA_GATEWAY: gw.url,
        FLOTILLA_AGENT_DATA_DIR: dataDir,
        ...(options.joinToken && { FLOTILLA_JOIN_TOKEN: options.joinToken }),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.add(child);
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      lines.push(...parts.filter(Boolean));
      if (process.env.FLOTILLA_TEST_LOGS)
        for (const p of parts) if (p) process.stderr.write(`[agent] ${p}\n`);
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => {
      children.delete(child);
      r({ code, signal });
    }),
  );
  return {
    child,
    dataDir,
    lines,
    exited,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Stops every test daemon, kills every task process they started, and removes their data dirs. */
export async function cleanUpAgents(): Promise<void> {
  await Promise.all([...daemons].map((d) => d.stop().catch(() => undefined)));
  daemons.clear();
  for (const child of children) child.kill("SIGKILL");
  children.clear();
  for (const dir of dataDirs) {
    for (const pid of liveTaskPids(dir)) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  }
  dataDirs.clear();
}

export async function installStatus(
  gw: TestGateway,
  clusterId: string,
  appId: string,
): Promise<InstallStatus> {
  return gw.api<InstallStatus>(`/v1/clusters/${clusterId}/installs/${encodeURIComponent(appId)}/status`);
}

export async function clusterStatus(gw: TestGateway, clusterId: string): Promise<ClusterStatus> {
  return gw.api<ClusterStatus>(`/v1/clusters/${clusterId}/status`);
}

/** GET http://127.0.0.1:<port>/ → body, or undefined when nothing answers. */
export function httpText(port: number, path = "/"): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path, agent: false, timeout: 2_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve(res.statusCode === 200 ? body : undefined));
    });
    req.on("error", () => resolve(undefined));
    req.on("timeout", () => req.destroy());
  });
}

/**
 * Support of the fault tests: the BUILT `flotilla-agent` bin (dist/agent/main.js) as a child
 * process a test can `kill -9`; a gateway that can be stopped and started again on the same
 * database file and port; and clean-up of all of it, process groups of launched tasks
 * included, whatever happened in the test. What the tests observe (/proc, the agent's books)
 * is in observe.ts, the package they install in packages.ts; both are re-exported here.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll } from "vitest";
import { DEFAULT_CONFIG, type GatewayConfig } from "../../../gateway/config.js";
import { silentLogger } from "../../../gateway/deps.js";
import { type NodeGateway, startNodeGateway } from "../../../gateway/runtime/node/start.js";
import { ADMIN_TOKEN, adminApi, portBlock, publishBundle, type TestGateway } from "../../helpers/agent.js";
import { killTaskGroups } from "./observe.js";

export * from "./observe.js";
export * from "./packages.js";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
export const AGENT_BIN = join(ROOT, "dist/agent/main.js");

/** Fails (never skips) unless dist/agent is built and not older than agent/**.ts. */
export function requireBuiltAgent(): void {
  if (!existsSync(AGENT_BIN))
    throw new Error(`${AGENT_BIN} is missing: these tests run the built agent; run \`npm run build\` first`);
  const stale: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else if (name.name.endsWith(".ts")) {
        const built = join(ROOT, "dist", relative(ROOT, path)).replace(/\.ts$/, ".js");
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(path).mtimeMs)
          stale.push(relative(ROOT, path));
      }
    }
  };
  walk(join(ROOT, "agent"));
  if (stale.length > 0)
    throw new Error(
      `dist/ is older than ${stale.slice(0, 5).join(", ")}${stale.length > 5 ? ", …" : ""}: run \`npm run build\` first`,
    );
}

const tempDirs = new Set<string>();
const gateways = new Set<RestartableGateway>();
const agents = new Set<BinAgent>();

/** A directory removed by `cleanUpFaults`. */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export interface RestartableGateway extends TestGateway {
  port: number;
  /** Closes the server (the database file stays). */
  stop(): Promise<void>;
  /** Starts it again on the same database file and port. */
  start(): Promise<void>;
}

/** A real gateway on 127.0.0.1 with a file database it keeps across stop() and start(). */
export async function startRestartableGateway(
  config: Partial<GatewayConfig> = {},
): Promise<RestartableGateway> {
  const dir = await tempDir("flotilla-gw-");
  const databaseUrl = `file:${join(dir, "gateway.db")}`;
  const open = (port: number) =>
    startNodeGateway({
      config: { ...DEFAULT_CONFIG, adminToken: ADMIN_TOKEN, ...config },
      logger: silentLogger,
      databaseUrl,
      host: "127.0.0.1",
      port,
      secretsKeyFile: join(dir, "secrets.key"),
    });
  let current: NodeGateway | undefined = await open(0);
  const port = Number(new URL(current.url).port);
  const gw: RestartableGateway = {
    url: current.url,
    dir,
    port,
    get gateway() {
      if (!current) throw new Error("the gateway is stopped");
      return current;
    },
    api: adminApi(() => gw.url),
    async stop() {
      const g = current;
      current = undefined;
      await g?.close();
    },
    async start() {
      if (!current) current = await open(port);
    },
    async close() {
      gateways.delete(gw);
      await gw.stop();
    },
  };
  gateways.add(gw);
  return gw;
}

export interface BinAgent {
  child: ChildProcess;
  pid: number;
  dataDir: string;
  hostname: string;
  /** stdout and stderr lines so far. */
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first log line (so far or to come) that matches; rejects after `timeout` ms. */
  line(pattern: RegExp, timeout?: number): Promise<string>;
  /** `kill -9`: no flush, no lease release, nothing. */
  kill9(): Promise<void>;
}

/** Runs `node dist/agent/main.js` with the process runtime (default timings, as in production). */
export async function spawnBinAgent(
  gw: { url: string },
  options: { dataDir?: string; joinToken?: string; hostname?: string; ports?: [number, number] } = {},
): Promise<BinAgent> {
  const dataDir = options.dataDir ?? (await tempDir("flotilla-agent-"));
  const hostname = options.hostname ?? `node-${Math.random().toString(36).slice(2, 8)}`;
  const [from, to] = options.ports ?? portBlock();
  const args = ["--runtime", "process", "--ports", `${from}-${to}`, "--hostname", hostname];
  args.push("--cpus", "4", "--mem", "4096", "--disk", "10000");
  const child = spawn(process.execPath, [AGENT_BIN, ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      FLOTILLA_GATEWAY: gw.url,
      FLOTILLA_AGENT_DATA_DIR: dataDir,
      ...(options.joinToken && { FLOTILLA_JOIN_TOKEN: options.joinToken }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.pid === undefined) throw new Error(`could not start ${AGENT_BIN}`);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let rest = "";
    stream?.setEncoding("utf8");
    stream?.on("data", (chunk: string) => {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts.filter(Boolean)) {
        lines.push(p);
        for (const listener of listeners) listener(p);
        if (process.env.FLOTILLA_TEST_LOGS) process.stderr.write(`[${hostname}] ${p}\n`);
      }
    });
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );
  const agent: BinAgent = {
    child,
    pid: child.pid,
    dataDir,
    hostname,
    lines,
    exited,
    line(pattern, timeout = 30_000) {
      const found = lines.find((l) => pattern.test(l));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`${hostname}: no log line matching ${pattern} within ${timeout} ms`));
        }, timeout);
        const listener = (l: string) => {
          if (!pattern.test(l)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(l);
        };
        listeners.add(listener);
      });
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
      agents.delete(agent);
    },
  };
  agents.add(agent);
  return agent;
}

/** What a fault test file runs against; `gw` is set before the file's tests run. */
export interface FaultSetup {
  gw: RestartableGateway;
}

/**
 * The test file's gateway: before its tests, the agent bin is checked, a restartable gateway
 * starts with `config` and the `packages` (bundle files) are published; after them, everything
 * the file started is cleaned up (cleanUpFaults). Call once at the top level of a test file.
 */
export function faultGateway(
  config: Partial<GatewayConfig>,
  ...packages: Record<string, string>[]
): FaultSetup {
  const setup = {} as FaultSetup;
  beforeAll(async () => {
    requireBuiltAgent();
    setup.gw = await startRestartableGateway(config);
    for (const files of packages) await publishBundle(setup.gw, files);
  });
  afterAll(cleanUpFaults);
  return setup;
}

/** Kills every agent (-9), every task process group, closes every gateway, removes every temp dir. */
export async function cleanUpFaults(): Promise<void> {
  await Promise.all([...agents].map((a) => a.kill9()));
  killTaskGroups([...tempDirs]);
  await Promise.all([...gateways].map((g) => g.close().catch(() => undefined)));
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** Resolves after `ms` (only where a span of time itself is what the test is about). */
export const elapse = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

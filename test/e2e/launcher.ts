/**
 * Helpers of the end-to-end tests: the built start command (`node dist/cli/local/main.js`, what
 * `npm start` runs after its build) and the built `flotilla` bin as child processes, as a user
 * runs them; `waitFor`; plain HTTP probes; and clean-up of the task processes the launcher's
 * agent leaves running (by design they outlive it), found by their sandbox under the temp dir.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { waitFor as sharedWaitFor } from "../helpers/agent.js";
import { REPO_ROOT } from "../helpers/sample.js";

export const LAUNCHER = join(REPO_ROOT, "dist/cli/local/main.js");
export const CLI = join(REPO_ROOT, "dist/cli/main.js");

/** Throws, saying what to do, when the build the tests run is missing. */
export function requireBuild(): void {
  for (const file of [LAUNCHER, CLI]) {
    if (!existsSync(file)) {
      throw new Error(
        `${file} is missing: run npm run build first (npm start and npm test build it; the e2e tests run the built files)`,
      );
    }
  }
}

/** The shared `waitFor` (test/helpers/agent.ts), polling every 200 ms by default here. */
export const waitFor = <T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  options: { timeout?: number; interval?: number } = {},
): Promise<T> => sharedWaitFor(what, probe, { interval: 200, ...options });

/** GET http://127.0.0.1:<port>/ → the body of a 200, or undefined when nothing answers. */
export function httpText(port: number, timeoutMs = 2_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => {
        body += c;
      });
      res.on("end", () => resolve(res.statusCode === 200 ? body : undefined));
      res.on("error", () => resolve(undefined));
    });
    req.on("error", () => resolve(undefined));
    req.on("timeout", () => req.destroy());
  });
}

/** The environment of this process without any FLOTILLA_* setting of the person running the tests. */
function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith("FLOTILLA_") && k !== "DOCKER_HOST") env[k] = v;
  }
  return env;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `flotilla <args>` with the built bin, as a user's shell runs it: only the config (where the
 * launcher logged the CLI in) says which gateway, token and cluster to use.
 */
export function flotilla(config: string, home: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        cwd: REPO_ROOT,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: home,
          FLOTILLA_CONFIG: config,
          NO_COLOR: "1",
        },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 240_000,
      },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** What a command printed, for failure messages. */
export function show(args: string[], r: CliResult): string {
  return `flotilla ${args.join(" ")} exited ${r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
}

export interface Launcher {
  child: ChildProcess;
  /** The gateway URL it printed. */
  url: string;
  /** The agent id it printed. */
  agentId: string;
  dataDir: string;
  config: string;
  home: string;
  /** Everything it printed on stdout so far. */
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Runs the CLI logged in by this launcher; `json` parses stdout after checking exit code 0. */
  cli(...args: string[]): Promise<CliResult>;
  json<T = Record<string, unknown>>(...args: string[]): Promise<T>;
}

/**
 * Starts the start command in `dir` (data under dir/data, CLI config dir/config.json) and waits
 * for its banner: the gateway URL, the "Try:" block and the Ctrl-C line.
 */
export async function startLauncher(
  dir: string,
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<Launcher> {
  const dataDir = join(dir, "data");
  const config = join(dir, "config.json");
  const home = join(dir, "home");
  const child = spawn(process.execPath, [LAUNCHER], {
    cwd: REPO_ROOT,
    env: {
      ...baseEnv(),
      HOME: home,
      NO_COLOR: "1",
      FLOTILLA_DATA_DIR: dataDir,
      FLOTILLA_PORT: "0",
      FLOTILLA_CONFIG: config,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (c: string) => {
    out += c;
    if (process.env.FLOTILLA_TEST_LOGS) process.stderr.write(`[start] ${c}`);
  });
  child.stderr?.on("data", (c: string) => {
    err += c;
    if (process.env.FLOTILLA_TEST_LOGS) process.stderr.write(`[start:err] ${c}`);
  });
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  const banner = await waitFor(
    "the start command to print the gateway URL and the Try: block",
    () => {
      if (exit) {
        throw new Error(
          `the start command exited (${exit.code ?? exit.signal}) before it was ready:\n${out}\n${err}`,
        );
      }
      const url = /gateway\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      const agentId = /one agent \(([^)]+)\)/.exec(out)?.[1];
      if (!url || !agentId || !/Try:\n(\s+npx flotilla .+\n)+/.test(out) || !/Ctrl-C stops/.test(out))
        return undefined;
      return { url, agentId };
    },
    { timeout: timeoutMs, interval: 100 },
  ).catch((e: Error) => {
    child.kill("SIGKILL");
    throw new Error(`${e.message}\n--- stdout\n${out}\n--- stderr\n${err}`);
  });
  const cli = (...args: string[]) => flotilla(config, home, ...args);
  return {
    child,
    ...banner,
    dataDir,
    config,
    home,
    stdout: () => out,
    stderr: () => err,
    exited,
    cli,
    async json<T>(...args: string[]): Promise<T> {
      const r = await cli(...args);
      if (r.code !== 0) throw new Error(show(args, r));
      try {
        return JSON.parse(r.stdout) as T;
      } catch {
        throw new Error(`not JSON: ${show(args, r)}`);
      }
    },
  };
}

/** Runs the start command expecting it to give up: its exit and output, or a timeout error. */
export function launcherFailure(
  dir: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER], {
      cwd: REPO_ROOT,
      env: {
        ...baseEnv(),
        HOME: join(dir, "home"),
        NO_COLOR: "1",
        FLOTILLA_DATA_DIR: join(dir, "data"),
        FLOTILLA_PORT: "0",
        FLOTILLA_CONFIG: join(dir, "config.json"),
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      stdout += c;
    });
    child.stderr?.setEncoding("utf8").on("data", (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the start command still ran after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Sends `signal` and waits for the exit; undefined when it did not exit within `timeoutMs`. */
export async function stopLauncher(
  launcher: Launcher,
  signal: NodeJS.Signals,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number } | undefined> {
  const started = Date.now();
  if (launcher.child.exitCode === null && launcher.child.signalCode === null) launcher.child.kill(signal);
  const timer = new Promise<undefined>((r) => setTimeout(() => r(undefined), timeoutMs).unref());
  const result = await Promise.race([launcher.exited, timer]);
  return result && { ...result, ms: Date.now() - started };
}

/** Pids of the live processes whose working directory is `dir` or under it (task sandboxes). */
export function processesUnder(dir: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${name}/cwd`);
      // A zombie has no cwd worth killing; skip it.
      if (/\) Z /.test(readFileSync(`/proc/${name}/stat`, "utf8"))) continue;
    } catch {
      continue;
    }
    if (cwd === dir || cwd.startsWith(`${dir}/`)) pids.push(Number(name));
  }
  return pids;
}

/** SIGKILLs every process running in a sandbox under `dir`; returns how many there were. */
export function killProcessesUnder(dir: string): number {
  const pids = processesUnder(dir);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  return pids.length;
}

/** What the process runtime recorded of a task: `<agent data>/tasks/<taskId>/task.json`. */
export interface TaskRecord {
  taskId: string;
  appId?: string;
  pid: number;
  env: Record<string, string>;
  exit?: unknown;
}

/** The task records of the launcher's agent (process runtime), read as the files they are. */
export function taskRecords(dataDir: string): TaskRecord[] {
  const tasks = join(dataDir, "agent", "tasks");
  const records: TaskRecord[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(tasks);
  } catch {
    return records;
  }
  for (const name of names) {
    try {
      records.push(JSON.parse(readFileSync(join(tasks, name, "task.json"), "utf8")) as TaskRecord);
    } catch {
      // written atomically; a missing one is a task being removed
    }
  }
  return records;
}

/**
 * `npm run bench:gateway`: HTTP throughput of the Node gateway on its two hot read paths, the
 * unchanged desired-state poll (304) and package search over a 10,000-revision catalog, against
 * a bare Hono route as the baseline.
 *
 * The gateway (`dist/gateway/node.js`, with a temporary libSQL file database) and the bare
 * route (`dist/bench/bare-server.js`) each run in a child process on 127.0.0.1; the load comes
 * from autocannon in this process, so server and load generator have a core each on a 2-core
 * machine. The phases run one after the other (bare, poll, search), each a warm-up and then a
 * timed run at the same connection count. The catalog is the seeded synthetic one of
 * bench/universe.ts (bench/synthetic-universe.ts), uploaded as a built Universe JSON index.
 *
 * Prints one JSON line:
 * {"bench":"gateway","revisions","bareRps","pollRps","pollRatio","pollNon304","searchRps","searchP99Ms","gatewayRssMb"}
 * and exits non-zero when a phase saw answers other than the expected ones. See bench/README.md.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { syntheticUniverse } from "./synthetic-universe.js";

const CONNECTIONS = 50;
const PIPELINING = 1;
const WARMUP_SECONDS = 2;
const MEASURE_SECONDS = 10;
/** Bare route and poll alternate in this many turns of MEASURE_SECONDS / ROUNDS each. */
const ROUNDS = 2;
const QUERIES = 1_000;
const SEARCH_LIMIT = 20;
/** Starting a child (the gateway migrates its database first) must take less than this. */
const START_TIMEOUT_MS = 30_000;
/** The whole run, seeding included, is cut off after this (about 45 s are expected). */
const RUN_TIMEOUT_MS = 240_000;

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- children and temporary files: cleaned up however the run ends ----

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function cleanupSync(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}
process.on("exit", cleanupSync);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    cleanupSync();
    process.exit(130);
  });
}

interface Server {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `node <script>` and resolves once a stdout line yields the server's URL. Output is
 * drained for the child's whole life (a full pipe would stall it); the last lines are kept
 * for the error message should it fail to start.
 */
function startServer(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  urlOf: (line: Record<string, unknown>) => string | undefined,
  nodeArgs: string[] = [],
): Promise<Server> {
  const child = spawn(process.execPath, [...nodeArgs, script], { env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > 40) tail.shift();
  };
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      // SIGKILL if it has not stopped within 5 s.
      const kill = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(kill);
    }
    children.delete(child);
  };
  createInterface({ input: child.stderr! }).on("line", keep);
  return new Promise<Server>((resolve, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${name}: ${why}\n${tail.join("\n")}`)));
    };
    const timer = setTimeout(() => fail(`no URL within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    child.once("error", (e) => fail(`could not start: ${e.message}`));
    child.once("exit", (code, signal) => fail(`exited (${signal ?? code}) before listening`));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      keep(line);
      if (settled) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        return;
      }
      const url =
        typeof parsed === "object" && parsed !== null ? urlOf(parsed as Record<string, unknown>) : undefined;
      if (!url) return;
      settled = true;
      clearTimeout(timer);
      resolve({ url, pid: child.pid!, stop });
    });
  });
}

/** Resident set size of a process (VmRSS), or its peak (VmHWM), from /proc (Linux). */
function rssMb(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(m[1]) / 1024;
}

// ---- HTTP setup calls ----

async function call<T>(
  base: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
  expect = 200,
  headers: Record<string, string> = {},
): Promise<{ body: T; headers: Headers }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...headers,
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { "content-type": "application/json" }),
    },
    ...(body !== undefined && { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status !== expect) {
    throw new Error(`${method} ${path}: expected ${expect}, got ${res.status}: ${text.slice(0, 500)}`);
  }
  return { body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

// ---- load ----

type Target = { url: string; expectStatus: number } & Pick<
  autocannon.Options,
  "headers" | "requests" | "setupClient"
>;

/** What one or more timed runs against a target saw. */
class Tally {
  expected = 0;
  /** Answers with another status, plus connection errors and timeouts. */
  unexpected = 0;
  seconds = 0;
  p50Ms = 0;
  p99Ms = 0;
  /** Expected answers per second of each run. */
  readonly rounds: number[] = [];
  readonly statusCodes: Record<string, number> = {};
  constructor(readonly expectStatus: number) {}

  add(result: autocannon.Result): void {
    const before = this.expected;
    for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
      const n = stats.count ?? 0;
      this.statusCodes[code] = (this.statusCodes[code] ?? 0) + n;
      if (code === String(this.expectStatus)) this.expected += n;
      else this.unexpected += n;
    }
    this.unexpected += result.errors + result.timeouts;
    this.seconds += result.duration;
    this.p50Ms = Math.max(this.p50Ms, result.latency.p50);
    this.p99Ms = Math.max(this.p99Ms, result.latency.p99);
    this.rounds.push((this.expected - before) / result.duration);
  }

  /** Answers with the expected status per second of timed load. */
  get rps(): number {
    return this.expected / this.seconds;
  }
}

const run = (target: Target, seconds: number) => {
  const { expectStatus: _, ...options } = target;
  return autocannon({ connections: CONNECTIONS, pipelining: PIPELINING, ...options, duration: seconds });
};

/** Each connection walks the query list from its own starting point, so they do not march in step. */
function rotatingRequests(paths: string[]): Pick<autocannon.Options, "requests" | "setupClient"> {
  const requests = paths.map((path) => ({ method: "GET" as const, path }));
  let clients = 0;
  const stride = Math.max(1, Math.floor(paths.length / CONNECTIONS));
  return {
    requests,
    setupClient(client) {
      const start = (clients++ * stride) % requests.length;
      client.setRequests([...requests.slice(start), ...requests.slice(0, start)]);
    },
  };
}

// ---- the run ----

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "flotilla-bench-gateway-"));
  tempDirs.add(dir);
  const adminToken = `flt_${randomBytes(24).toString("hex")}`;
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("FLOTILLA_")) env[k] = v;

  const synthetic = syntheticUniverse();
  const names = synthetic.packageNames();
  const index = synthetic.universeIndex(names);
  const queries = synthetic.queryMix(names, QUERIES);
  const revisions = index.packages.length;

  // Both servers run from here on; only one of them is ever under load.
  const bare = await startServer("bare server", here("./bare-server.js"), env, (l) =>
    typeof l.url === "string" ? l.url : undefined,
  );
  let gateway: Server | undefined;
  try {
    gateway = await startServer(
      "gateway",
      here("../gateway/node.js"),
      {
        ...env,
        FLOTILLA_DATABASE_URL: `file:${join(dir, "gw.db")}`,
        FLOTILLA_HOST: "127.0.0.1",
        FLOTILLA_PORT: "0",
        FLOTILLA_ADMIN_TOKEN: adminToken,
      },
      (l) => (l.message === "gateway listening" && typeof l.url === "string" ? l.url : undefined),
      // For profiling, e.g. BENCH_GATEWAY_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
      (process.env.BENCH_GATEWAY_NODE_ARGS ?? "").split(/\s+/).filter(Boolean),
    );
    const gw = gateway.url;
    // Seed: the catalog, a cluster, a join token, one registered agent and its current revision.
    const uploaded = await call<{ imported: number; failed: unknown[] }>(
      gw,
      "POST",
      "/v1/repositories?name=bench",
      adminToken,
      JSON.stringify(index),
      201,
    );
    if (uploaded.body.imported !== revisions || uploaded.body.failed.length > 0) {
      throw new Error(
        `catalog upload imported ${uploaded.body.imported} of ${revisions}: ${JSON.stringify(uploaded.body.failed.slice(0, 3))}`,
      );
    }
    const cluster = await call<{ id: string }>(
      gw,
      "POST",
      "/v1/clusters",
      adminToken,
      { name: "bench" },
      201,
    );
    const joinToken = await call<{ token: string }>(
      gw,
      "POST",
      `/v1/clusters/${cluster.body.id}/join-tokens`,
      adminToken,
      {},
      201,
    );
    const agent = await call<{ clusterId: string; credential: string }>(
      gw,
      "POST",
      "/v1/agent/register",
      adminToken,
      { joinToken: joinToken.body.token, hostname: "bench-agent" },
      201,
    );
    const pollPath = `/v1/agent/clusters/${agent.body.clusterId}/desired-state`;
    const first = await call(gw, "GET", pollPath, agent.body.credential);
    const etag = first.headers.get("etag");
    if (!etag) throw new Error("the desired state came without an ETag");
    const pollHeaders = { authorization: `Bearer ${agent.body.credential}`, "if-none-match": etag };
    await call(gw, "GET", pollPath, agent.body.credential, undefined, 304, pollHeaders).catch((e: Error) => {
      throw new Error(`a poll with If-None-Match ${etag} is not a 304: ${e.message}`);
    });

    // Bare route and unchanged poll take turns, so that a neighbour's burst on a shared machine
    // falls on both rather than on one.
    const bareTarget: Target = { url: bare.url, expectStatus: 200 };
    const pollTarget: Target = { url: `${gw}${pollPath}`, headers: pollHeaders, expectStatus: 304 };
    const barePhase = new Tally(200);
    const pollPhase = new Tally(304);
    await run(bareTarget, WARMUP_SECONDS);
    await run(pollTarget, WARMUP_SECONDS);
    for (let round = 0; round < ROUNDS; round++) {
      barePhase.add(await run(bareTarget, MEASURE_SECONDS / ROUNDS));
      pollPhase.add(await run(pollTarget, MEASURE_SECONDS / ROUNDS));
    }
    await bare.stop();

    // The first search loads the catalog snapshot (parse + index); do it before the clock runs.
    const probe = await call<{ total: number }>(gw, "GET", "/v1/packages?q=kafka&limit=20", adminToken);
    if (probe.body.total === 0) throw new Error("search finds nothing: the catalog did not load");
    const rssAfterLoadMb = rssMb(gateway.pid);
    const searchPaths = queries.map((q) => `/v1/packages?q=${encodeURIComponent(q)}&limit=${SEARCH_LIMIT}`);
    const searchTarget: Target = {
      url: gw,
      headers: { authorization: `Bearer ${adminToken}` },
      expectStatus: 200,
      ...rotatingRequests(searchPaths),
    };
    const searchPhase = new Tally(200);
    await run(searchTarget, WARMUP_SECONDS);
    // One timed run, so that p99 comes from one histogram.
    searchPhase.add(await run(searchTarget, MEASURE_SECONDS));
    const gatewayRssMb = rssMb(gateway.pid);
    const peakRssMb = rssMb(gateway.pid, "VmHWM");

    console.log(
      JSON.stringify({
        bench: "gateway",
        revisions,
        bareRps: Math.round(barePhase.rps),
        pollRps: Math.round(pollPhase.rps),
        pollRatio: round(pollPhase.rps / barePhase.rps, 3),
        pollNon304: pollPhase.unexpected,
        searchRps: Math.round(searchPhase.rps),
        searchP99Ms: searchPhase.p99Ms,
        gatewayRssMb: round(gatewayRssMb, 1),
      }),
    );
    // Context for reading the line, on stderr so that stdout stays one JSON line.
    process.stderr.write(
      `${JSON.stringify({
        gatewayRssAfterCatalogLoadMb: round(rssAfterLoadMb, 1),
        gatewayPeakRssMb: round(peakRssMb, 1),
        bareRoundsRps: barePhase.rounds.map(Math.round),
        pollRoundsRps: pollPhase.rounds.map(Math.round),
        searchP50Ms: searchPhase.p50Ms,
      })}\n`,
    );
    const problems = [
      ["bare route (200)", barePhase],
      ["poll (304)", pollPhase],
      ["search (200)", searchPhase],
    ] as const;
    for (const [what, phase] of problems) {
      if (phase.unexpected > 0) {
        process.stderr.write(
          `${what}: ${phase.unexpected} unexpected answers or errors; status codes ${JSON.stringify(phase.statusCodes)}\n`,
        );
        process.exitCode = 1;
      }
    }
  } finally {
    await Promise.all([gateway?.stop(), bare.stop()]);
  }
}

const watchdog = setTimeout(() => {
  process.stderr.write(`bench:gateway did not finish within ${RUN_TIMEOUT_MS / 1000} s\n`);
  process.exit(1);
}, RUN_TIMEOUT_MS);
watchdog.unref();

try {
  await main();
} catch (e) {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
} finally {
  cleanupSync();
}

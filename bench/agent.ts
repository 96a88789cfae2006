/**
 * `npm run bench:agent`: how fast the agent turns an install request into running work.
 *
 * A gateway runs in this process (temp libSQL file, default config); agents are the built
 * `flotilla-agent` bin (dist/agent/main.js, default timings) as child processes, so their
 * resident memory is their own. Timed from just before `POST …/installs` until the status
 * view shows every instance RUNNING and healthy (polled every 20 ms):
 * - process1Ms: 1 instance of `sleep` (process runtime, no health check, so RUNNING = healthy),
 *   median of 5 after a warm-up;
 * - process50Ms: 50 instances of the same app, once; agentRssMb is the agent's peak RSS over the
 *   2 s after, while it supervises the 50 processes;
 * - dockerMs: 1 busybox httpd container via an agent with the Docker runtime, until it answers
 *   HTTP on its port; rawDockerMs: `docker run -d` of the same image, command, env, host
 *   network, init and limits, until it answers HTTP. Median of 5 alternated rounds after a
 *   warm-up of each. Only when a Docker daemon answers (DOCKER_HOST or /var/run/docker.sock).
 *
 * Prints one JSON line:
 * {"bench":"agent","process1Ms","process50Ms","dockerMs","rawDockerMs","dockerRatio","agentRssMb"}
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { detectDocker } from "../agent/runtime/docker.js";
import { DockerClient, dockerSocketPath } from "../agent/runtime/docker-client.js";
import { identify } from "../agent/runtime/proc.js";
import { readAllRecords } from "../agent/runtime/process-record.js";
import { DEFAULT_CONFIG } from "../gateway/config.js";
import { silentLogger } from "../gateway/deps.js";
import { startNodeGateway } from "../gateway/runtime/node/start.js";
import { packBundle } from "../universe/bundle/index.js";

const TOKEN = "flt_bench-agent-admin-token-0123456789";
const AGENT_BIN = fileURLToPath(new URL("../agent/main.js", import.meta.url));
const IMAGE = "busybox:local";
const WEB_CMD =
  'mkdir -p /tmp/www && echo "$MESSAGE" > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:$PORT0 -h /tmp/www';
const POLL_MS = 20;
/** Timed rounds of the 1-task figures (their median is reported), after one warm-up each. */
const ROUNDS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number, digits = 0) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- everything started here is stopped however the run ends ----
const children = new Set<ChildProcess>();
const dirs = new Set<string>();
const rawContainers = new Set<string>();
function cleanupSync(dockerHost?: string): void {
  for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
  for (const dir of dirs) {
    for (const r of readAllRecords(dir))
      if (identify(r.pid, r.startTicks) === "alive") {
        try {
          process.kill(-r.pid, "SIGKILL");
        } catch {}
      }
    rmSync(dir, { recursive: true, force: true });
  }
  if (dockerHost) {
    const env = { ...process.env, DOCKER_HOST: dockerHost };
    const ids = spawnSync("docker", ["ps", "-aq", "--filter", "label=flotilla-bench=agent"], { env });
    const all = [
      ...rawContainers,
      ...String(ids.stdout ?? "")
        .split(/\s+/)
        .filter(Boolean),
    ];
    if (all.length) spawnSync("docker", ["rm", "-f", ...all], { env, stdio: "ignore" });
  }
}
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    cleanupSync(process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock");
    process.exit(130);
  });
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.add(dir);
  return dir;
};

async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

function httpOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}

function bundle(name: string, app: Record<string, unknown>): Record<string, string> {
  return {
    "package.json": JSON.stringify({
      packagingVersion: "flotilla/1",
      name,
      version: "1.0.0",
      maintainer: "bench@flotilla.test",
      description: `${name}: bench/agent.ts`,
      tags: ["bench"],
    }),
    "config.json": JSON.stringify({
      type: "object",
      properties: { instances: { type: "integer", default: 1, minimum: 0 } },
    }),
    "marathon.json.mustache": JSON.stringify({ id: `/${name}`, instances: "@N@", ...app }).replace(
      '"@N@"',
      "{{instances}}",
    ),
  };
}

async function main(): Promise<void> {
  const gwDir = tempDir("flotilla-bench-gw-");
  const gateway = await startNodeGateway({
    config: { ...DEFAULT_CONFIG, adminToken: TOKEN },
    logger: silentLogger,
    databaseUrl: `file:${join(gwDir, "gateway.db")}`,
    host: "127.0.0.1",
    port: 0,
  });
  const api = async <T>(path: string, body?: unknown, method?: string): Promise<T> => {
    const res = await fetch(`${gateway.url}${path}`, {
      method: method ?? (body === undefined ? "GET" : "POST"),
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const publish = async (files: Record<string, string>) => {
    const { archive } = await packBundle(files);
    const res = await fetch(`${gateway.url}/v1/packages`, {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/gzip" },
      body: archive,
    });
    if (res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`);
  };
  await publish(bundle("sleeper", { cmd: "exec sleep 3600", cpus: 0.01, mem: 8 }));
  const dockerApp = {
    cmd: WEB_CMD,
    cpus: 0.1,
    mem: 32,
    container: { type: "DOCKER", docker: { image: IMAGE } },
    env: { MESSAGE: "bench" },
    portDefinitions: [{ port: 0, name: "http" }],
    labels: { "flotilla-bench": "agent" },
  };
  await publish(bundle("web", dockerApp));

  /** A cluster with one bin agent (its lease held), and an install timer for it. */
  const agentCluster = async (runtime: "process" | "docker", ports: string, dockerHost?: string) => {
    const name = `bench-${runtime}`;
    const cluster = await api<{ id: string }>("/v1/clusters", { name });
    const { token } = await api<{ token: string }>(`/v1/clusters/${cluster.id}/join-tokens`, { maxUses: 1 });
    const dataDir = tempDir("flotilla-bench-agent-");
    const args = ["--runtime", runtime, "--ports", ports, "--cpus", "2", "--mem", "4096", "--disk", "10000"];
    if (dockerHost) args.push("--docker-host", dockerHost);
    const child = spawn(process.execPath, [AGENT_BIN, ...args, "--hostname", name, "--log-level", "warn"], {
      env: {
        PATH: process.env.PATH ?? "",
        FLOTILLA_GATEWAY: gateway.url,
        FLOTILLA_AGENT_DATA_DIR: dataDir,
        FLOTILLA_JOIN_TOKEN: token,
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.add(child);
    await waitUntil(`the ${runtime} agent to hold the lease`, async () => {
      const { agents } = await api<{ agents: { leaseHolder: boolean }[] }>(
        `/v1/clusters/${cluster.id}/agents`,
      );
      return agents[0]?.leaseHolder ? true : undefined;
    });
    /** ms from the install request until `n` instances are RUNNING and healthy; then `answered` too. */
    const install = async (
      pkg: string,
      appId: string,
      n: number,
      answered?: (port: number) => Promise<boolean>,
    ) => {
      const t0 = performance.now();
      await api(`/v1/clusters/${cluster.id}/installs`, { package: pkg, appId, options: { instances: n } });
      const status = `/v1/clusters/${cluster.id}/installs/${encodeURIComponent(appId)}/status`;
      type Status = {
        apps: { instances: { running: number; healthy: number }; tasks: { ports: number[] }[] }[];
      };
      const port = await waitUntil(`${n} × ${appId} running`, async () => {
        const app = (await api<Status>(status)).apps[0];
        if (answered) return app?.tasks[0]?.ports[0];
        return app && app.instances.running === n && app.instances.healthy === n ? 0 : undefined;
      });
      if (answered)
        await waitUntil(`${appId} answering`, async () => ((await answered(port)) ? true : undefined));
      return performance.now() - t0;
    };
    return { pid: child.pid!, install };
  };

  // ---- process tasks ----
  const proc = await agentCluster("process", "31000-31099");
  await proc.install("sleeper", "/warm", 1);
  const one: number[] = [];
  for (let i = 0; i < ROUNDS; i++) one.push(await proc.install("sleeper", `/one-${i}`, 1));
  const process50Ms = await proc.install("sleeper", "/fifty", 50);
  let agentRssMb = 0;
  for (let i = 0; i < 10; i++, await sleep(200)) agentRssMb = Math.max(agentRssMb, rssMb(proc.pid));
  const result: Record<string, unknown> = {
    bench: "agent",
    process1Ms: round(median(one)),
    process50Ms: round(process50Ms),
  };

  // ---- Docker: the agent beside a raw `docker run` ----
  const dockerHost = process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock";
  if (await detectDocker(dockerHost, 1_000)) {
    await ensureImage(dockerHost);
    const docker = await agentCluster("docker", "32000-32099", dockerHost);
    let rawPort = 33_000;
    const raw = async () => {
      const port = rawPort++;
      const name = `flotilla-bench-raw-${process.pid}-${port}`;
      rawContainers.add(name);
      const t0 = performance.now();
      const cli = spawn(
        "docker",
        [
          "run",
          "-d",
          "--name",
          name,
          "--network",
          "host",
          "--init",
          "--cpus",
          "0.1",
          "--memory",
          "32m",
        ].concat([
          "-e",
          `PORT0=${port}`,
          "-e",
          "MESSAGE=bench",
          "--entrypoint",
          "/bin/sh",
          IMAGE,
          "-c",
          WEB_CMD,
        ]),
        { env: { ...process.env, DOCKER_HOST: dockerHost }, stdio: "ignore" },
      );
      await waitUntil("the raw container answering", async () => ((await httpOk(port)) ? true : undefined));
      if (cli.exitCode === null) await new Promise((r) => cli.once("exit", r));
      return performance.now() - t0;
    };
    await raw();
    await docker.install("web", "/web-warm", 1, httpOk);
    const agentMs: number[] = [];
    const rawMs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      rawMs.push(await raw());
      agentMs.push(await docker.install("web", `/web-${i}`, 1, httpOk));
    }
    result.dockerMs = round(median(agentMs));
    result.rawDockerMs = round(median(rawMs));
    result.dockerRatio = round(median(agentMs) / median(rawMs), 2);
  } else {
    process.stderr.write(`no Docker daemon answers on ${dockerHost}: Docker figures left out\n`);
  }
  result.agentRssMb = round(agentRssMb, 1);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  cleanupSync(dockerHost);
  await gateway.close();
}

/** Imports busybox:local from the host's static busybox (as samples/packages/busybox-web says) if missing. */
async function ensureImage(dockerHost: string): Promise<void> {
  const client = new DockerClient(dockerSocketPath(dockerHost));
  const present = (await client.call(`/images/${IMAGE}/json`)).status === 200;
  await client.close();
  if (present) return;
  const root = tempDir("flotilla-bench-rootfs-");
  const script = `mkdir -p "$1/bin" "$1/tmp" && cp /usr/bin/busybox "$1/bin/" && cd "$1/bin" && for a in $(./busybox --list); do [ "$a" = busybox ] || ln -s busybox "$a"; done && tar -C "$1" -c . | docker import - ${IMAGE}`;
  const r = spawnSync("bash", ["-c", script, "-", root], {
    env: { ...process.env, DOCKER_HOST: dockerHost },
  });
  if (r.status !== 0) throw new Error(`could not import ${IMAGE} (needs busybox-static): ${r.stderr}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench:agent failed: ${(err as Error).stack ?? err}\n`);
    cleanupSync(process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock");
    process.exit(1);
  },
);

// Each check type against real local servers and real tasks: HTTP(S) status codes and timeouts,
// TCP open/closed, COMMAND in a process task's context, and a monitored task killed when unhealthy.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import type net from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type HealthEvent, HealthMonitor } from "../../../agent/health/monitor.js";
import { createProbe, httpProbe, tcpProbe } from "../../../agent/health/probes.js";
import { createTaskMonitor } from "../../../agent/health/task-monitor.js";
import { type HealthCheckSpec, normalizeCheck, type ProbeTarget } from "../../../agent/health/types.js";
import { ProcessRuntime } from "../../../agent/runtime/process.js";
import { freePorts, tempDir, uniqueTaskId, waitFor } from "../runtime/support.js";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let plain: http.Server;
let plainPort: number;
let secure: https.Server;
let securePort: number;
let handler: Handler;
let dir: { path: string; remove: () => Promise<void> };
const monitors: HealthMonitor[] = [];

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

const probe = (spec: HealthCheckSpec, target: ProbeTarget) =>
  createProbe(normalizeCheck(spec), target)(new AbortController().signal);

beforeAll(async () => {
  handler = (_req, res) => res.end("ok");
  plain = http.createServer((req, res) => handler(req, res));
  plainPort = await listen(plain);
  // A self-signed certificate, as tasks often have: checks must not verify it.
  dir = await tempDir("health");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=localhost",
      "-keyout",
      `${dir.path}/key.pem`,
      "-out",
      `${dir.path}/cert.pem`,
    ],
    { stdio: "ignore" },
  );
  secure = https.createServer(
    { key: readFileSync(`${dir.path}/key.pem`), cert: readFileSync(`${dir.path}/cert.pem`) },
    (req, res) => handler(req, res),
  );
  securePort = await listen(secure);
});

afterEach(() => {
  for (const m of monitors.splice(0)) m.stop();
  handler = (_req, res) => res.end("ok");
});

afterAll(async () => {
  plain.closeAllConnections();
  secure.closeAllConnections();
  await new Promise((r) => plain.close(r));
  await new Promise((r) => secure.close(r));
  await dir.remove();
});

describe("HTTP and HTTPS checks", () => {
  it("pass on 200–399 at the check's path and fail on 4xx/5xx", async () => {
    const paths: string[] = [];
    handler = (req, res) => {
      paths.push(req.url ?? "");
      const status = Number(req.url?.slice(1));
      res.writeHead(status, status === 302 ? { location: "/elsewhere" } : {}).end();
    };
    const target = { ports: [plainPort] };
    expect(await probe({ protocol: "HTTP", path: "/200" }, target)).toEqual({
      ok: true,
      message: "HTTP 200",
    });
    expect(await probe({ protocol: "HTTP", path: "/302" }, target)).toEqual({
      ok: true,
      message: "HTTP 302",
    });
    expect(await probe({ protocol: "HTTP", path: "/399" }, target)).toMatchObject({ ok: true });
    expect(await probe({ protocol: "HTTP", path: "/404" }, target)).toEqual({
      ok: false,
      message: "HTTP 404",
    });
    expect(await probe({ protocol: "HTTP", path: "/500" }, target)).toEqual({
      ok: false,
      message: "HTTP 500",
    });
    expect(paths).toEqual(["/200", "/302", "/399", "/404", "/500"]); // the redirect was not followed
  });

  it("accepts a self-signed certificate over HTTPS", async () => {
    expect(await probe({ protocol: "HTTPS", path: "/" }, { ports: [securePort] })).toEqual({
      ok: true,
      message: "HTTP 200",
    });
    expect(await probe({ protocol: "HTTPS" }, { ports: [plainPort] })).toMatchObject({ ok: false });
  });

  it("fail when nothing listens", async () => {
    const [closed] = await freePorts(1);
    expect(await probe({ protocol: "HTTP" }, { ports: [closed!] })).toEqual({
      ok: false,
      message: `connection refused (127.0.0.1:${closed})`,
    });
  });

  it("time out, abort the request, and count as a failure when the server does not answer", async () => {
    let closedByChecker = 0;
    handler = (req) => req.socket.on("close", () => closedByChecker++); // never answers
    const events: HealthEvent[] = [];
    const monitor = new HealthMonitor({
      check: {
        protocol: "HTTP",
        gracePeriodSeconds: 0,
        intervalSeconds: 0.05,
        timeoutSeconds: 0.2,
        maxConsecutiveFailures: 2,
      },
      probe: httpProbe("http", "127.0.0.1", plainPort, "/"),
      onEvent: (e) => events.push(e),
    });
    monitors.push(monitor);
    const began = Date.now();
    monitor.start();
    await waitFor("the kill decision", () => events.some((e) => e.type === "kill"), 5000, 10);
    expect(Date.now() - began).toBeGreaterThanOrEqual(400);
    expect(monitor.status().lastResult).toMatchObject({ ok: false, message: "timed out after 0.2 s" });
    await waitFor("the server to see both requests closed", () => closedByChecker >= 2, 2000, 10);
  });

  it("never overlap: a server slower than the interval sees one check at a time", async () => {
    let active = 0;
    let maxActive = 0;
    let served = 0;
    handler = (_req, res) => {
      active++;
      maxActive = Math.max(maxActive, active);
      setTimeout(() => {
        active--;
        served++;
        res.end("slow");
      }, 120);
    };
    const monitor = new HealthMonitor({
      check: { protocol: "HTTP", intervalSeconds: 0.02, timeoutSeconds: 2 },
      probe: httpProbe("http", "127.0.0.1", plainPort, "/"),
    });
    monitors.push(monitor);
    monitor.start();
    await waitFor("four checks", () => served >= 4, 5000, 10);
    expect(maxActive).toBe(1);
  });
});

describe("TCP checks", () => {
  it("pass when the port accepts a connection and fail when it is closed", async () => {
    const [closed] = await freePorts(1);
    expect(await probe({ protocol: "TCP", portIndex: 1 }, { ports: [closed!, plainPort] })).toEqual({
      ok: true,
      message: `connected to 127.0.0.1:${plainPort}`,
    });
    expect(await probe({ protocol: "MESOS_TCP" }, { ports: [closed!] })).toEqual({
      ok: false,
      message: `connection refused (127.0.0.1:${closed})`,
    });
    expect(await probe({ protocol: "TCP", port: plainPort }, { ports: [] })).toMatchObject({ ok: true });
  });

  it("fail with a reason when the task has no port at the check's portIndex", async () => {
    expect(await probe({ protocol: "TCP", portIndex: 2 }, { ports: [plainPort] })).toEqual({
      ok: false,
      message: "the task has no port at portIndex 2 (it has 1)",
    });
  });

  it("stop connecting when aborted", async () => {
    const controller = new AbortController();
    // 10.255.255.1 would hang, but tests talk to 127.0.0.1 only: abort before the connect settles.
    const pending = tcpProbe("127.0.0.1", plainPort)(controller.signal);
    controller.abort();
    expect((await pending).ok).toBe(false);
  });
});

describe("COMMAND checks and monitored tasks", () => {
  let runtime: ProcessRuntime;
  beforeAll(() => {
    runtime = new ProcessRuntime({ dataDir: `${dir.path}/agent`, pollIntervalMs: 20 });
  });
  afterAll(async () => {
    for (const t of await runtime.list()) await runtime.kill(t.taskId, { gracePeriodMs: 0 });
    await runtime.close();
  });

  it("pass on exit 0 and fail on exit 1, run with the task's env in its sandbox", async () => {
    const taskId = uniqueTaskId("cmd");
    await runtime.launch({
      taskId,
      kind: "service",
      cmd: "echo up > state; sleep 30",
      env: { MODE: "green" },
      ports: [{ port: 31077 }],
      cpus: 0.1,
      mem: 32,
      labels: {},
      killGracePeriodMs: 0,
    });
    const target: ProbeTarget = { ports: [31077], exec: (c, o) => runtime.exec(taskId, c, o) };
    await waitFor(
      "the state file",
      async () => (await probe({ protocol: "COMMAND", command: { value: "test -f state" } }, target)).ok,
    );
    expect(
      await probe({ protocol: "COMMAND", command: { value: 'test "$MODE:$PORT0" = green:31077' } }, target),
    ).toEqual({ ok: true, message: "exit 0" });
    expect(await probe({ protocol: "COMMAND", command: { value: "echo broken; exit 1" } }, target)).toEqual({
      ok: false,
      message: "exit 1: broken",
    });
  });

  it("kill a task whose HTTP check keeps failing, after it was healthy", async () => {
    const [port] = await freePorts(1);
    const taskId = uniqueTaskId("web");
    // Healthy until /break is requested, then 500 forever.
    const server =
      "let broken=false;require('http').createServer((q,s)=>{if(q.url==='/break')broken=true;" +
      "s.statusCode=broken?500:200;s.end()}).listen(Number(process.env.PORT0),'127.0.0.1')";
    const started = await runtime.launch({
      taskId,
      kind: "service",
      appId: "/web",
      args: [process.execPath, "-e", server],
      env: {},
      ports: [{ port: port! }],
      cpus: 0.1,
      mem: 32,
      labels: {},
      killGracePeriodMs: 1000,
    });
    const events: HealthEvent["type"][] = [];
    const monitor = createTaskMonitor({
      runtime,
      taskId,
      ports: [port!],
      startedAt: started.startedAt,
      check: {
        protocol: "HTTP",
        path: "/health",
        gracePeriodSeconds: 10,
        intervalSeconds: 0.05,
        timeoutSeconds: 1,
        maxConsecutiveFailures: 3,
      },
      onEvent: (e) => {
        if (e.type !== "check") events.push(e.type);
        if (e.type === "kill") void runtime.kill(taskId);
      },
    });
    monitors.push(monitor);
    monitor.start();
    await waitFor("the task to turn healthy", () => monitor.status().state === "healthy", 10_000, 10);
    await new Promise<void>((r) =>
      http.get({ host: "127.0.0.1", port, path: "/break", agent: false }, (res) => res.resume().on("end", r)),
    );
    const ended = await runtime.wait(taskId);
    expect(events).toEqual(["healthy", "unhealthy", "kill"]);
    expect(ended).toMatchObject({ state: "exited", signal: "SIGTERM" });
  });
});

/**
 * The check types: HTTP/HTTPS GET (passes on 200–399, certificates not verified: tasks use
 * self-signed ones), TCP connect, and COMMAND (`sh -c` in the task's context through the
 * runtime: on the host with the task's env for processes, `docker exec` for containers).
 * Probes never reject; the monitor applies the timeout by aborting them.
 */
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { NormalizedCheck, Probe, ProbeResult, ProbeTarget } from "./types.js";

const DEFAULT_HOST = "127.0.0.1";

/** The port a check talks to: `port` if set, else the task's port at `portIndex`. */
export function checkPort(check: NormalizedCheck, target: ProbeTarget): number | undefined {
  return check.port ?? target.ports[check.portIndex];
}

export function httpProbe(scheme: "http" | "https", host: string, port: number, path: string): Probe {
  return (signal) =>
    new Promise<ProbeResult>((resolve) => {
      const options = {
        host,
        port,
        path: path.startsWith("/") ? path : `/${path}`,
        method: "GET",
        agent: false,
        signal,
        headers: { "user-agent": "flotilla-health-check" },
      };
      const onResponse = (res: http.IncomingMessage) => {
        const status = res.statusCode ?? 0;
        res.destroy(); // the status line is all a check needs
        resolve({ ok: status >= 200 && status < 400, message: `HTTP ${status}` });
      };
      const req =
        scheme === "https"
          ? https.request({ ...options, rejectUnauthorized: false }, onResponse)
          : http.request(options, onResponse);
      req.on("error", (err) => resolve({ ok: false, message: describe(err, host, port) }));
      req.end();
    });
}

export function tcpProbe(host: string, port: number): Probe {
  return (signal) =>
    new Promise<ProbeResult>((resolve) => {
      const socket = net.connect({ host, port });
      const done = (result: ProbeResult) => {
        signal.removeEventListener("abort", onAbort);
        socket.destroy();
        resolve(result);
      };
      const onAbort = () => done({ ok: false, message: `connect to ${host}:${port} aborted` });
      signal.addEventListener("abort", onAbort, { once: true });
      socket.once("connect", () => done({ ok: true, message: `connected to ${host}:${port}` }));
      socket.once("error", (err) => done({ ok: false, message: describe(err, host, port) }));
    });
}

export function commandProbe(
  command: string,
  exec: NonNullable<ProbeTarget["exec"]>,
  timeoutMs: number,
): Probe {
  return async (signal) => {
    try {
      const result = await exec(command, { timeoutMs, signal });
      if (result.timedOut) return { ok: false, message: `command timed out: ${command}` };
      const output = result.output.trim().slice(0, 200);
      return {
        ok: result.exitCode === 0,
        message: `exit ${result.exitCode ?? "unknown"}${output ? `: ${output}` : ""}`,
      };
    } catch (err) {
      return { ok: false, message: `command could not run: ${(err as Error).message}` };
    }
  };
}

/** The probe for one check of one task; a check that cannot work says why on every attempt. */
export function createProbe(check: NormalizedCheck, target: ProbeTarget): Probe {
  const host = target.host ?? DEFAULT_HOST;
  if (check.protocol === "COMMAND") {
    const exec = target.exec;
    const command = check.command ?? "";
    if (!exec) return failing("COMMAND checks need a runtime that can run commands in the task");
    return commandProbe(command, exec, check.timeoutMs);
  }
  const port = checkPort(check, target);
  if (port === undefined) {
    return failing(`the task has no port at portIndex ${check.portIndex} (it has ${target.ports.length})`);
  }
  if (check.protocol === "TCP") return tcpProbe(host, port);
  return httpProbe(check.protocol === "HTTPS" ? "https" : "http", host, port, check.path);
}

function failing(message: string): Probe {
  return async () => ({ ok: false, message });
}

function describe(err: Error & { code?: string }, host: string, port: number): string {
  if (err.name === "AbortError") return `request to ${host}:${port} aborted`;
  if (err.code === "ECONNREFUSED") return `connection refused (${host}:${port})`;
  return `${err.code ?? err.name}: ${err.message} (${host}:${port})`;
}

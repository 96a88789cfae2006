/**
 * A small Docker Engine API client over the daemon's unix socket (undici; Node's global fetch
 * cannot reach a unix socket). Unversioned paths, so the daemon answers in its own API version:
 * the fields used here are stable from Engine 20.10 (API 1.41) on.
 */
import { Agent, request } from "undici";
import { RuntimeError } from "./errors.js";

export const DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock";

/** `unix:///run/docker.sock` → `/run/docker.sock`; a bare path is taken as is; tcp:// is refused. */
export function dockerSocketPath(dockerHost: string | undefined): string {
  if (!dockerHost) return DEFAULT_DOCKER_SOCKET;
  if (dockerHost.startsWith("unix://")) return dockerHost.slice("unix://".length);
  if (dockerHost.startsWith("/")) return dockerHost;
  throw new RuntimeError(
    "RUNTIME_UNAVAILABLE",
    `DOCKER_HOST ${dockerHost} is not a unix socket; the agent talks to the Docker daemon over unix:///path/to/docker.sock only`,
  );
}

export interface DockerRequest {
  method?: "GET" | "POST" | "DELETE";
  query?: Record<string, string | number | boolean | undefined>;
  /** JSON-encoded unless it is a Buffer or a stream (sent as application/x-tar). */
  body?: unknown;
  /** Abort after this long; 0 = wait as long as it takes (e.g. /wait). Default 30 s. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface DockerResponse {
  status: number;
  body: Buffer;
  json<T>(): T;
  /** The daemon's `message` field of an error answer, or the raw text. */
  message(): string;
}

/** True for the error of a call that ran past its timeoutMs or was aborted by its signal. */
export function isTimeoutOrAbort(err: unknown): boolean {
  return err instanceof RuntimeError && Boolean(err.details?.timedOut || err.details?.aborted);
}

export class DockerClient {
  readonly socketPath: string;
  private readonly agent: Agent;

  constructor(socketPath: string) {
    this.socketPath = socketPath;
    this.agent = new Agent({ connect: { socketPath } });
  }

  async call(path: string, options: DockerRequest = {}): Promise<DockerResponse> {
    const query = Object.entries(options.query ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join("&");
    const url = `http://docker${path}${query ? `?${query}` : ""}`;
    const timeoutMs = options.timeoutMs ?? 30_000;
    const signals = [
      ...(options.signal ? [options.signal] : []),
      ...(timeoutMs > 0 ? [AbortSignal.timeout(timeoutMs)] : []),
    ];
    const isRaw = Buffer.isBuffer(options.body) || isStream(options.body);
    try {
      const res = await request(url, {
        dispatcher: this.agent,
        method: options.method ?? "GET",
        headers:
          options.body === undefined
            ? {}
            : { "content-type": isRaw ? "application/x-tar" : "application/json" },
        body:
          options.body === undefined
            ? undefined
            : isRaw
              ? (options.body as Buffer)
              : JSON.stringify(options.body),
        signal: signals.length ? AbortSignal.any(signals) : undefined,
        // The signal enforces timeoutMs over the whole exchange; undici's own timers are off.
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      return {
        status: res.statusCode,
        body,
        json: <T>() => JSON.parse(body.toString("utf8")) as T,
        message: () => {
          const text = body.toString("utf8").trim();
          try {
            return (JSON.parse(text) as { message?: string }).message ?? text;
          } catch {
            return text;
          }
        },
      };
    } catch (err) {
      throw this.wrap(err, path);
    }
  }

  /** Whether a daemon answers `/_ping` within `timeoutMs`. */
  async ping(timeoutMs = 1000): Promise<boolean> {
    try {
      return (await this.call("/_ping", { timeoutMs })).status === 200;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.agent.destroy();
  }

  private wrap(err: unknown, path: string): RuntimeError {
    const e = err as { code?: string; name?: string; message?: string };
    if (e.code === "ENOENT" || e.code === "ECONNREFUSED" || e.code === "EACCES") {
      return new RuntimeError(
        "RUNTIME_UNAVAILABLE",
        `no Docker daemon answers on unix://${this.socketPath} (${e.code}): start dockerd (in this repository: bash scripts/docker-up.sh) and set DOCKER_HOST=unix:///path/to/docker.sock${e.code === "EACCES" ? ", or give the agent access to the socket" : ""}`,
        { socketPath: this.socketPath },
      );
    }
    const timedOut = e.name === "TimeoutError";
    const aborted = e.name === "AbortError";
    return new RuntimeError(
      timedOut ? "RUNTIME_UNAVAILABLE" : "RUNTIME_FAILED",
      `Docker daemon at unix://${this.socketPath}: ${path} ${timedOut ? "timed out" : aborted ? "aborted" : `failed: ${e.message ?? String(err)}`}`,
      { socketPath: this.socketPath, timedOut, aborted },
    );
  }
}

function isStream(v: unknown): boolean {
  return typeof v === "object" && v !== null && typeof (v as { pipe?: unknown }).pipe === "function";
}

/** Answers from `/containers/{id}/logs` and exec/attach streams (no TTY) come in frames. */
export interface LogFrame {
  stream: "stdin" | "stdout" | "stderr";
  data: Buffer;
}

/**
 * Splits Docker's multiplexed stream: each frame is an 8-byte header (stream type, 3 zero
 * bytes, big-endian uint32 length) followed by that many bytes. A truncated last frame is kept.
 */
export function demultiplex(buffer: Buffer): LogFrame[] {
  const frames: LogFrame[] = [];
  const names = ["stdin", "stdout", "stderr"] as const;
  let at = 0;
  while (at + 8 <= buffer.length) {
    const stream = names[buffer[at] ?? 1] ?? "stdout";
    const size = buffer.readUInt32BE(at + 4);
    frames.push({ stream, data: buffer.subarray(at + 8, Math.min(buffer.length, at + 8 + size)) });
    at += 8 + size;
  }
  return frames;
}

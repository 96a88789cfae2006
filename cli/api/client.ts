/**
 * A small client for the gateway's JSON API. Every answer is parsed with the gateway's own
 * contract schema (gateway/contract) before a command reads it; `raw` keeps the body exactly
 * as sent, which is what `--json` prints. Refusals and network failures become CliErrors.
 */
import type { z } from "zod";
import { CliError } from "../errors.js";
import { refusal, unreachable } from "./problem.js";

export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: Query;
  /** A JSON body. */
  json?: unknown;
  /** A raw body (a bundle, an index) with its content type. */
  body?: Uint8Array;
  contentType?: string;
}

export interface Reply<T> {
  data: T;
  raw: unknown;
  status: number;
}

export interface GatewayClient {
  readonly gateway: string;
  request<S extends z.ZodType>(
    schema: S,
    method: string,
    path: string,
    options?: RequestOptions,
  ): Promise<Reply<z.infer<S>>>;
  /** A request answered with no body (204), such as a delete or a revoke. */
  requestEmpty(method: string, path: string, options?: RequestOptions): Promise<void>;
}

export interface ClientOptions {
  gateway: string;
  token: string | undefined;
  fetch: typeof fetch;
  /** Deadline of one request; uploads of a large repository take a while. */
  timeoutMs?: number;
}

/**
 * A path with each interpolated value URL-encoded, so an app id `/team/web` travels as one segment.
 * @example apiPath`/v1/clusters/${cluster}/installs/${appId}`
 */
export function apiPath(parts: TemplateStringsArray, ...values: (string | number)[]): string {
  return parts.reduce(
    (acc, part, i) => acc + part + (i < values.length ? encodeURIComponent(String(values[i])) : ""),
    "",
  );
}

export function createClient(options: ClientOptions): GatewayClient {
  const { gateway, token } = options;
  const timeoutMs = options.timeoutMs ?? 120_000;

  async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
    const url = new URL(gateway + path);
    for (const [k, v] of Object.entries(opts.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: "application/json" };
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | Uint8Array<ArrayBuffer> | undefined;
    if (opts.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(opts.json);
    } else if (opts.body) {
      headers["content-type"] = opts.contentType ?? "application/octet-stream";
      body = opts.body as Uint8Array<ArrayBuffer>;
    }
    let res: Response;
    try {
      res = await options.fetch(url, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw unreachable(e, gateway, timeoutMs);
    }
    if (!res.ok) throw refusal(res.status, res.statusText, await res.text(), gateway, Boolean(token));
    return res;
  }

  return {
    gateway,
    async request(schema, method, path, opts = {}) {
      const res = await send(method, path, opts);
      const text = await res.text();
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new CliError(
          `${method} ${path}: the gateway at ${gateway} answered ${res.status} with something that is not JSON; is ${gateway} a Flotilla gateway?`,
        );
      }
      const parsed = schema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(
          `${method} ${path}: unexpected answer from the gateway (${issue ? `/${issue.path.join("/")}: ${issue.message}` : "invalid"}); is this CLI older or newer than the gateway?`,
        );
      }
      return { data: parsed.data, raw, status: res.status };
    },
    async requestEmpty(method, path, opts = {}) {
      const res = await send(method, path, opts);
      await res.body?.cancel().catch(() => {});
    },
  };
}

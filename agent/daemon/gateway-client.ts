/**
 * The agent's side of the agent–gateway protocol (gateway/contract/agent.ts): one method per
 * call, every answer parsed with the contract's zod schema before anyone acts on it. Errors
 * are a GatewayError whose `kind` says what to do: retry later (`unreachable`), stop because
 * the credential was refused (`unauthorized`), re-acquire the lease (`stale-epoch`), or give up
 * on this request (`rejected`, `malformed`). HTTPS to a gateway with a private CA uses the
 * PEM bundle given (undici Agent `connect.ca`). Every answer and every `unreachable` failure is
 * recorded in the GatewayContact given, if any (how long contact has lasted without a break).
 */
import { Agent, fetch as undiciFetch } from "undici";
import type { z } from "zod";
import {
  type AssignmentsRequest,
  type AssignmentsResponse,
  AssignmentsResponse as AssignmentsResponseSchema,
  type DesiredState,
  DesiredStateSchema,
  type Lease,
  LeaseSchema,
  type Observed,
  ObservedSchema,
  type RegisterRequest,
  type RegisterResponse,
  RegisterResponse as RegisterResponseSchema,
  type ResolveSecretsResponse,
  ResolveSecretsResponse as ResolveSecretsResponseSchema,
  type StatusAck,
  StatusAck as StatusAckSchema,
  type StatusBatch,
} from "../../gateway/contract/agent.js";
import type { GatewayContact } from "./gateway-contact.js";

export type GatewayErrorKind = "unreachable" | "unauthorized" | "stale-epoch" | "rejected" | "malformed";

export class GatewayError extends Error {
  override readonly name = "GatewayError";
  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    readonly status?: number,
    /** The problem's `reason` (e.g. `STALE_EPOCH`, `JOIN_TOKEN_EXPIRED`). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

export const isGatewayError = (e: unknown, kind?: GatewayErrorKind): e is GatewayError =>
  e instanceof GatewayError && (kind === undefined || e.kind === kind);

export interface GatewayClientOptions {
  /** e.g. `https://gateway.example:8443` (no trailing path). */
  baseUrl: string;
  /** PEM bundle to trust for HTTPS (in addition to nothing else: it replaces the system CAs). */
  ca?: string;
  /** Default timeout of a request, ms (long-polls add their wait). */
  requestTimeoutMs?: number;
  /** Records answers and failures (shared with whoever needs to know about contact). */
  contact?: Pick<GatewayContact, "begin" | "answered" | "failed">;
}

export type DesiredStatePoll =
  | { status: 304; revision: number | undefined }
  | { status: 200; doc: DesiredState };

/** What the gateway said about a failed request: the problem document's fields. */
async function problemOf(res: Response): Promise<{ detail: string; reason?: string; code?: string }> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { detail?: unknown; reason?: unknown; code?: unknown };
    return {
      detail: typeof body.detail === "string" ? body.detail : text.slice(0, 500),
      ...(typeof body.reason === "string" && { reason: body.reason }),
      ...(typeof body.code === "string" && { code: body.code }),
    };
  } catch {
    return { detail: text.slice(0, 500) || res.statusText };
  }
}

export class GatewayClient {
  private readonly dispatcher: Agent;
  private readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly contact: GatewayClientOptions["contact"];
  private credential: string | undefined;
  private clusterId: string | undefined;

  constructor(options: GatewayClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.requestTimeoutMs ?? 15_000;
    this.contact = options.contact;
    this.dispatcher = new Agent({ connect: options.ca ? { ca: options.ca } : {}, keepAliveTimeout: 30_000 });
  }

  /** Uses this agent's credential (and cluster id, for the paths) from now on. */
  authenticate(identity: { credential: string; clusterId: string }): void {
    this.credential = identity.credential;
    this.clusterId = identity.clusterId;
  }

  /** Trades a join token for a credential (`POST /v1/agent/register`). */
  async register(body: RegisterRequest, signal?: AbortSignal): Promise<RegisterResponse> {
    const res = await this.send("POST", "/v1/agent/register", { body, signal, auth: false });
    return this.parse(res, 201, RegisterResponseSchema, "registration");
  }

  /**
   * Polls the desired state: conditional on `revision`, held open up to `waitSeconds` where
   * the gateway long-polls.
   */
  async desiredState(
    options: { revision?: number; waitSeconds?: number; signal?: AbortSignal } = {},
  ): Promise<DesiredStatePoll> {
    const query = options.waitSeconds ? `?wait=${options.waitSeconds}` : "";
    const res = await this.send("GET", `${this.clusterPath("desired-state")}${query}`, {
      signal: options.signal,
      timeoutMs: this.timeoutMs + (options.waitSeconds ?? 0) * 1000,
      headers: options.revision !== undefined ? { "if-none-match": `"${options.revision}"` } : {},
    });
    if (res.status === 304) {
      await res.body?.cancel();
      const tag = /^"?(\d+)"?$/.exec(res.headers.get("etag") ?? "");
      return { status: 304, revision: tag ? Number(tag[1]) : undefined };
    }
    return { status: 200, doc: await this.parse(res, 200, DesiredStateSchema, "desired state") };
  }

  async status(batch: StatusBatch, signal?: AbortSignal): Promise<StatusAck> {
    const res = await this.send("POST", this.clusterPath("status"), { body: batch, signal });
    return this.parse(res, 200, StatusAckSchema, "status acknowledgement");
  }

  async lease(body: { release?: boolean }, signal?: AbortSignal): Promise<Lease> {
    const res = await this.send("POST", this.clusterPath("lease"), { body, signal });
    return this.parse(res, 200, LeaseSchema, "lease");
  }

  async assignments(body: AssignmentsRequest, signal?: AbortSignal): Promise<AssignmentsResponse> {
    const res = await this.send("POST", this.clusterPath("assignments"), { body, signal });
    return this.parse(res, 200, AssignmentsResponseSchema, "assignments answer");
  }

  /** Every task, job run and agent of the cluster as reported (lease holder only). */
  async observed(signal?: AbortSignal): Promise<Observed> {
    const res = await this.send("GET", this.clusterPath("observed"), { signal });
    return this.parse(res, 200, ObservedSchema, "observed state");
  }

  /**
   * The values of secrets that this agent's assignments declare (path → value), for a launch.
   * The answer holds secret values: callers hand it to the runtime and nowhere else.
   */
  async secrets(paths: string[], signal?: AbortSignal): Promise<ResolveSecretsResponse> {
    const res = await this.send("POST", this.clusterPath("secrets"), { body: { paths }, signal });
    return this.parse(res, 200, ResolveSecretsResponseSchema, "secrets");
  }

  async close(): Promise<void> {
    await this.dispatcher.close().catch(() => undefined);
  }

  private clusterPath(what: string): string {
    if (!this.clusterId) throw new Error("the gateway client has no credential yet (register first)");
    return `/v1/agent/clusters/${encodeURIComponent(this.clusterId)}/${what}`;
  }

  private async send(
    method: "GET" | "POST",
    path: string,
    options: {
      body?: unknown;
      signal?: AbortSignal | undefined;
      headers?: Record<string, string>;
      auth?: boolean;
      timeoutMs?: number;
    },
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.auth !== false && this.credential) headers.authorization = `Bearer ${this.credential}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const token = this.contact?.begin() ?? 0;
    let res: Response;
    try {
      res = (await undiciFetch(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
        signal,
        dispatcher: this.dispatcher,
      })) as unknown as Response;
    } catch (err) {
      // The caller gave up (the agent is stopping): that says nothing about the gateway.
      if (!options.signal?.aborted) this.contact?.failed();
      const why = timeout.aborted
        ? "timed out"
        : ((err as Error).cause as Error)?.message || (err as Error).message;
      throw new GatewayError("unreachable", `${method} ${path}: the gateway did not answer (${why})`);
    }
    // 408, 429 and 5xx are the gateway's trouble, not this request's: retry later.
    const trouble = res.status >= 500 || res.status === 429 || res.status === 408;
    if (trouble) this.contact?.failed();
    else this.contact?.answered(token);
    if (res.ok || res.status === 304) return res;
    const problem = await problemOf(res);
    const text = `${method} ${path}: ${res.status} ${problem.detail}`;
    if (res.status === 401 && path !== "/v1/agent/register")
      throw new GatewayError("unauthorized", text, 401, problem.reason);
    if (res.status === 409 && problem.reason === "STALE_EPOCH")
      throw new GatewayError("stale-epoch", text, 409, problem.reason);
    if (trouble) throw new GatewayError("unreachable", text, res.status, problem.reason);
    throw new GatewayError("rejected", text, res.status, problem.reason);
  }

  private async parse<S extends z.ZodType>(
    res: Response,
    expected: number,
    schema: S,
    what: string,
  ): Promise<z.output<S>> {
    if (res.status !== expected) {
      await res.body?.cancel();
      throw new GatewayError(
        "malformed",
        `expected ${expected} with the ${what}, got ${res.status}`,
        res.status,
      );
    }
    let body: unknown;
    try {
      body = await res.json();
    } catch (err) {
      throw new GatewayError("malformed", `the ${what} is not JSON: ${(err as Error).message}`, res.status);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
      throw new GatewayError(
        "malformed",
        `the ${what} does not match the contract: ${issues.join("; ")}`,
        res.status,
      );
    }
    return parsed.data;
  }
}

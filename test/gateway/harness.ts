/**
 * What the shared gateway suites need from a runtime: a way to send requests to an app built
 * on that runtime's database (libSQL file on Node, D1 in workerd), the admin token, and a
 * clock the test can move. Runtime-neutral: no node: imports, so it runs in workerd too.
 */
import { createApp } from "../../gateway/app.js";
import { DEFAULT_CONFIG, type GatewayConfig } from "../../gateway/config.js";
import { type Db, type RevisionNotifier, silentLogger } from "../../gateway/deps.js";
import { createSecretBox } from "../../gateway/lib/secret-box.js";

export const ADMIN_TOKEN = "flt_test-admin-token-0123456789abcdef";
/** The secret store's key of test gateways (32 bytes). */
export const TEST_SECRETS_KEY = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);

export class ManualClock {
  constructor(private t = Date.UTC(2026, 10, 25, 12, 0, 0)) {}
  now = () => this.t;
  advance(ms: number) {
    this.t += ms;
  }
}

export interface Harness {
  runtime: "node" | "workers";
  clock: ManualClock;
  /**
   * Test-only seam: the app's database, for suites that seed rows no route writes yet
   * (catalog revisions, agents' status rows, limited tokens). On Node the catalog snapshot is
   * kept for the app's lifetime, so seed the catalog before the first request that reads it.
   */
  db?: Db;
  request(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /** JSON body of a request that must succeed with `status`; fails the test with the body otherwise. */
  json<T = Record<string, unknown>>(
    path: string,
    init?: RequestInit & { token?: string | null },
    status?: number,
  ): Promise<T>;
}

export interface HarnessOptions {
  db: Db;
  runtime: Harness["runtime"];
  notifier?: RevisionNotifier;
  config?: Partial<GatewayConfig>;
  /** The secret store's key (default TEST_SECRETS_KEY); null for a gateway without one. */
  secretsKey?: Uint8Array | null;
}

/** A unique name for rows a test makes, so tests never share fixed ids. */
export const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

export function makeHarness(options: HarnessOptions): Harness {
  const clock = new ManualClock();
  const app = createApp(
    {
      db: options.db,
      clock,
      logger: silentLogger,
      config: { ...DEFAULT_CONFIG, adminToken: ADMIN_TOKEN, ...options.config },
      ...(options.notifier && { notifier: options.notifier }),
      ...(options.secretsKey !== null && {
        secrets: createSecretBox(options.secretsKey ?? TEST_SECRETS_KEY),
      }),
    },
    { authCacheMs: options.runtime === "node" ? 60_000 : 0 },
  );
  const request: Harness["request"] = async (path, init = {}) => {
    const { token = ADMIN_TOKEN, ...rest } = init;
    const headers = new Headers(rest.headers);
    if (token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    if (typeof rest.body === "string" && !headers.has("content-type"))
      headers.set("content-type", "application/json");
    return app.request(path, { ...rest, headers });
  };
  return {
    runtime: options.runtime,
    clock,
    db: options.db,
    request,
    async json(path, init, status = 200) {
      const res = await request(path, init);
      const text = await res.text();
      if (res.status !== status)
        throw new Error(`${init?.method ?? "GET"} ${path}: expected ${status}, got ${res.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as never;
    },
  };
}

export const post = (body: unknown, token?: string | null): RequestInit & { token?: string | null } => ({
  method: "POST",
  body: JSON.stringify(body),
  ...(token !== undefined && { token }),
});

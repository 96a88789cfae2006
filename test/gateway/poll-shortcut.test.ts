/**
 * Node answers the unchanged desired-state poll in front of Hono (gateway/runtime/node/
 * poll-shortcut.ts). These tests pin down that it answers only when the full route would
 * answer the same 304 without side effects, and hands everything else to the app: first
 * against a recording app listener, then end to end through the real Node gateway.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../gateway/auth/principal.js";
import { DEFAULT_CONFIG } from "../../gateway/config.js";
import { type Deps, silentLogger } from "../../gateway/deps.js";
import { createRevisionNotifier } from "../../gateway/lib/revision-notifier.js";
import { TtlCache } from "../../gateway/lib/ttl-cache.js";
import { withPollShortcut } from "../../gateway/runtime/node/poll-shortcut.js";
import { heartbeatWritten } from "../../gateway/services/agents/heartbeat.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../cli/gateway.js";

describe("poll shortcut (decision)", () => {
  const now = Date.UTC(2026, 10, 25, 12);
  const deps = {
    db: undefined as never,
    clock: { now: () => now },
    logger: silentLogger,
    config: DEFAULT_CONFIG,
    notifier: createRevisionNotifier(),
  } satisfies Deps;
  const principals = new TtlCache<Principal>(60_000);
  const agentA = "flta_agent-of-cluster-a";
  const user = "flt_an-operator-token";
  principals.set(agentA, { kind: "agent", agentId: "ag1", clusterId: "cA" }, now);
  principals.set(user, { kind: "user", tokenId: "t1", name: "op", role: "admin", clusters: null }, now);
  deps.notifier.announce("cA", 7);
  deps.notifier.announce("cB", 3);
  heartbeatWritten(deps, "ag1", now - 1_000);

  let server: Server;
  let base = "";
  const toApp: string[] = [];
  beforeAll(async () => {
    const app = (req: IncomingMessage, res: ServerResponse) => {
      toApp.push(`${req.method} ${req.url}`);
      res.writeHead(299).end();
    };
    server = createServer(withPollShortcut(deps, principals, app));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => {
    toApp.length = 0;
  });

  const poll = (path: string, headers: Record<string, string>, method = "GET") =>
    fetch(`${base}${path}`, { method, headers });
  const auth = (secret: string) => ({ authorization: `Bearer ${secret}` });

  it("answers the plain unchanged poll itself, as the route would", async () => {
    const res = await poll("/v1/agent/clusters/cA/desired-state", {
      ...auth(agentA),
      "if-none-match": '"7"',
    });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe('"7"');
    expect(res.headers.get("cache-control")).toBe("no-cache");
    expect(res.headers.get("x-request-id")).toMatch(/^req_[0-9a-f-]{36}$/);
    const bySince = await poll("/v1/agent/clusters/cA/desired-state?since=7", auth(agentA));
    expect(bySince.status).toBe(304);
    expect(toApp).toEqual([]);
  });

  it.each([
    ["an older revision", "/v1/agent/clusters/cA/desired-state", { ...auth(agentA), "if-none-match": '"6"' }],
    ["no revision", "/v1/agent/clusters/cA/desired-state", auth(agentA)],
    [
      "a long-poll",
      "/v1/agent/clusters/cA/desired-state?wait=30",
      { ...auth(agentA), "if-none-match": '"7"' },
    ],
    ["another cluster", "/v1/agent/clusters/cB/desired-state", { ...auth(agentA), "if-none-match": '"3"' }],
    [
      "an uncached credential",
      "/v1/agent/clusters/cA/desired-state",
      { ...auth("flta_x"), "if-none-match": '"7"' },
    ],
    ["no credential", "/v1/agent/clusters/cA/desired-state", { "if-none-match": '"7"' }],
    ["an operator token", "/v1/agent/clusters/cA/desired-state", { ...auth(user), "if-none-match": '"7"' }],
    [
      "an unseeded cluster",
      "/v1/agent/clusters/cC/desired-state",
      { ...auth(agentA), "if-none-match": '"0"' },
    ],
    ["another path", "/v1/agent/clusters/cA/observed", { ...auth(agentA), "if-none-match": '"7"' }],
  ])("hands %s to the app", async (_, path, headers) => {
    const res = await poll(path, headers);
    expect(res.status).toBe(299);
    expect(toApp).toHaveLength(1);
  });

  it("hands the poll to the app when a heartbeat is due, and a request with a body", async () => {
    heartbeatWritten(deps, "ag1", now - DEFAULT_CONFIG.heartbeatWriteMs);
    const due = await poll("/v1/agent/clusters/cA/desired-state", {
      ...auth(agentA),
      "if-none-match": '"7"',
    });
    expect(due.status).toBe(299);
    heartbeatWritten(deps, "ag1", now);
    const withBody = await fetch(`${base}/v1/agent/clusters/cA/desired-state`, {
      method: "POST",
      headers: { ...auth(agentA), "if-none-match": '"7"' },
      body: "{}",
    });
    expect(withBody.status).toBe(299);
    expect(toApp).toHaveLength(2);
  });
});

describe("poll shortcut (Node gateway)", () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterAll(() => gw.close());

  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${gw.url}${path}`, {
      ...init,
      headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${token}` },
    });

  it("serves unchanged polls, and a deleted agent is refused at once", async () => {
    const cluster = (await (
      await call("/v1/clusters", ADMIN_TOKEN, jsonBody({ name: "shortcut" }))
    ).json()) as {
      id: string;
    };
    const join = (await (
      await call(`/v1/clusters/${cluster.id}/join-tokens`, ADMIN_TOKEN, jsonBody({}))
    ).json()) as { token: string };
    const reg = await fetch(
      `${gw.url}/v1/agent/register`,
      jsonBody({ joinToken: join.token, hostname: "n1" }),
    );
    expect(reg.status).toBe(201);
    const agent = (await reg.json()) as { agentId: string; credential: string };
    const path = `/v1/agent/clusters/${cluster.id}/desired-state`;

    const first = await call(path, agent.credential);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag") as string;
    for (let i = 0; i < 3; i++) {
      const again = await call(path, agent.credential, { headers: { "if-none-match": etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("x-request-id")).toBeTruthy();
    }

    const removed = await call(`/v1/clusters/${cluster.id}/agents/${agent.agentId}`, ADMIN_TOKEN, {
      method: "DELETE",
    });
    expect(removed.status).toBe(204);
    const after = await call(path, agent.credential, { headers: { "if-none-match": etag } });
    expect(after.status).toBe(401);
  });
});

function jsonBody(body: unknown): RequestInit {
  return { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/**
 * The agent's gateway client against small local servers: answers are parsed with the
 * contract before use (a malformed one is an error, never a value), failures are sorted by
 * what the daemon must do, conditional polls send the revision, and HTTPS to a gateway with
 * a private certificate authority works with the CA bundle and fails without it. Every answer
 * and every failure to get one is recorded as contact with the gateway, or a break in it.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { GatewayClient, type GatewayError } from "../../../agent/daemon/gateway-client.js";
import { GatewayContact } from "../../../agent/daemon/gateway-contact.js";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function serve(handler: Handler, tls?: { key: string; cert: string }): Promise<string> {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanups.push(() => new Promise((r) => server.close(() => r())));
  return `${tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const json = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
};

function client(baseUrl: string, ca?: string, contact?: GatewayContact) {
  const c = new GatewayClient({
    baseUrl,
    requestTimeoutMs: 5_000,
    ...(ca && { ca }),
    ...(contact && { contact }),
  });
  c.authenticate({ credential: "flta_x", clusterId: "cl_1" });
  cleanups.push(() => c.close());
  return c;
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: GatewayError) => ({ kind: e.kind, status: e.status, reason: e.reason, message: e.message }),
  );

const LEASE = { holder: true, epoch: 2, expiresAt: 10, ttlMs: 15_000 };

describe("gateway client", () => {
  it("sorts failures by what the daemon must do about them", async () => {
    const answers: [number, unknown][] = [
      [401, { detail: "unknown credential" }],
      [409, { detail: "epoch 1 is not the current epoch 2", reason: "STALE_EPOCH" }],
      [503, { detail: "busy" }],
      [400, { detail: "bad", reason: "UNKNOWN_AGENT" }],
      [200, { holder: "yes" }],
    ];
    const url = await serve((_req, res) => {
      const [status, body] = answers.shift()!;
      json(res, status, body);
    });
    const c = client(url);
    expect(await failure(c.lease({}))).toMatchObject({ kind: "unauthorized", status: 401 });
    expect(await failure(c.lease({}))).toMatchObject({
      kind: "stale-epoch",
      status: 409,
      reason: "STALE_EPOCH",
    });
    expect(await failure(c.lease({}))).toMatchObject({ kind: "unreachable", status: 503 });
    expect(await failure(c.lease({}))).toMatchObject({
      kind: "rejected",
      status: 400,
      reason: "UNKNOWN_AGENT",
    });
    expect(await failure(c.lease({}))).toMatchObject({ kind: "malformed" }); // holder: "yes" breaks the contract
    expect(await failure(client("http://127.0.0.1:9").lease({}))).toMatchObject({ kind: "unreachable" });
  });

  it("counts contact from the first answer after a failure, and any failure as a break in it", async () => {
    let now = 1_000;
    const contact = new GatewayContact(() => now);
    const answers: number[] = [200, 200, 503, 400, 200];
    const url = await serve((_req, res) => {
      const status = answers.shift()!;
      json(res, status, status === 200 ? LEASE : { detail: "no" });
    });
    const c = client(url, undefined, contact);
    expect(contact.uninterruptedMs()).toBe(0);
    await c.lease({});
    now += 5_000;
    await c.lease({});
    expect(contact.uninterruptedMs()).toBe(5_000); // since the first answer
    await failure(c.lease({})); // 503: the gateway cannot serve
    expect(contact.uninterruptedMs()).toBe(0);
    now += 1_000;
    await failure(c.lease({})); // 400: refused, but answered
    now += 2_000;
    await c.lease({});
    expect(contact.uninterruptedMs()).toBe(2_000);
    await failure(client("http://127.0.0.1:9", undefined, contact).lease({})); // nothing listens
    expect(contact.uninterruptedMs()).toBe(0);
  });

  it("does not count an answer to a request sent before the last failure as contact", () => {
    let now = 0;
    const contact = new GatewayContact(() => now);
    const early = contact.begin();
    contact.failed();
    now = 500;
    contact.answered(early); // e.g. a long poll sent before the outage
    expect(contact.uninterruptedMs()).toBe(0);
    contact.answered(contact.begin());
    now = 1_500;
    expect(contact.uninterruptedMs()).toBe(1_000);
  });

  it("polls conditionally with the revision and the wait, and tells 304 from a new document", async () => {
    const seen: { url?: string; tag?: string; auth?: string }[] = [];
    const url = await serve((req, res) => {
      seen.push({ url: req.url, tag: req.headers["if-none-match"], auth: req.headers.authorization });
      if (req.headers["if-none-match"] === '"7"') {
        res.writeHead(304, { etag: '"7"' });
        return res.end();
      }
      json(res, 200, {
        revision: 7,
        clusterId: "cl_1",
        agentId: "ag_1",
        generatedAt: 1,
        installs: [],
        lease: { holder: false, epoch: 0, expiresAt: null },
        agents: [],
        assignments: [],
      });
    });
    const c = client(url);
    const first = await c.desiredState();
    expect(first.status === 200 && first.doc.revision).toBe(7);
    expect(await c.desiredState({ revision: 7, waitSeconds: 5 })).toEqual({ status: 304, revision: 7 });
    expect(seen).toEqual([
      { url: "/v1/agent/clusters/cl_1/desired-state", auth: "Bearer flta_x" },
      { url: "/v1/agent/clusters/cl_1/desired-state?wait=5", tag: '"7"', auth: "Bearer flta_x" },
    ]);
  });

  it("trusts a gateway certificate signed by the CA bundle it was given, and no other", async () => {
    const dir = await mkdtemp(join(tmpdir(), "flotilla-tls-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
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
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    const cert = readFileSync(join(dir, "cert.pem"), "utf8");
    const url = await serve((_req, res) => json(res, 200, LEASE), {
      key: readFileSync(join(dir, "key.pem"), "utf8"),
      cert,
    });
    expect(await client(url, cert).lease({})).toEqual(LEASE);
    const untrusted = await failure(client(url).lease({}));
    expect(untrusted.kind).toBe("unreachable");
    expect(untrusted.message).toMatch(/certificate/);
  }, 20_000);
});

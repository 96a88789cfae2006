/**
 * The cluster secret store, operator side: set (create or replace), list and delete, values
 * never returned and never in the audit log, ciphertext at rest, who may do what, and bad input
 * refused with nothing written. A gateway without a key answers 503 on these routes only. The
 * agent side is secrets-agent.suite.ts. Runs on Node and in workerd.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { secrets } from "../../../gateway/db/schema.js";
import { type Harness, post, unique } from "../harness.js";
import { newAgent, newCluster } from "./agent-fixtures.suite.js";
import type { MakeHarness } from "./index.js";
import { dbOf, pkg, seedCatalog, seedToken } from "./installs-fixtures.js";
import { secretsAgentSuite } from "./secrets-agent.suite.js";

const put = (value: unknown, token?: string) => ({
  method: "PUT",
  body: JSON.stringify({ value }),
  ...(token !== undefined && { token }),
});
const url = (cluster: string, path?: string) =>
  `/v1/clusters/${cluster}/secrets${path === undefined ? "" : `/${encodeURIComponent(path)}`}`;

interface Listed {
  secrets: { path: string; createdAt: string; updatedAt: string; updatedBy: string }[];
}

async function rowsOf(h: Harness, clusterId: string) {
  return dbOf(h).select().from(secrets).where(eq(secrets.clusterId, clusterId));
}

export function secretsSuite(make: MakeHarness): void {
  describe("secrets: the operator API", () => {
    it("creates, lists, replaces and deletes a secret without ever answering its value", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const value = unique("hunter2-value");
      const created = await h.json(url(cluster.name, "db/password"), put(value));
      expect(created).toMatchObject({
        path: "db/password",
        created: true,
        updatedBy: expect.stringContaining("bootstrap-admin"),
      });
      expect(JSON.stringify(created)).not.toContain(value);

      h.clock.advance(5_000);
      const replaced = await h.json(url(cluster.id, "db/password"), put(`${value}-2`));
      expect(replaced).toMatchObject({ path: "db/password", created: false, createdAt: created.createdAt });
      expect(Date.parse(replaced.updatedAt as string)).toBe(Date.parse(created.createdAt as string) + 5_000);
      await h.json(url(cluster.id, "a_first"), put("x"));

      const res = await h.request(url(cluster.name));
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).not.toContain(value);
      expect((JSON.parse(text) as Listed).secrets.map((s) => s.path)).toEqual(["a_first", "db/password"]);

      expect((await h.request(url(cluster.id, "db/password"), { method: "DELETE" })).status).toBe(204);
      expect((await h.json<Listed>(url(cluster.id))).secrets.map((s) => s.path)).toEqual(["a_first"]);
      const again = await h.request(url(cluster.id, "db/password"), { method: "DELETE" });
      expect(again.status).toBe(404);
    });

    it("records who created, replaced and deleted which secret in the audit log, without the value", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const value = unique("audit-value");
      await h.json(url(cluster.id, "api/key"), put(value));
      await h.json(url(cluster.id, "api/key"), put(`${value}-new`));
      await h.request(url(cluster.id, "api/key"), { method: "DELETE" });
      const res = await h.request(`/v1/audit?cluster=${cluster.id}`);
      const text = await res.text();
      expect(text).not.toContain(value);
      const entries = (JSON.parse(text) as { entries: { action: string; actor: string; details: unknown }[] })
        .entries;
      const mine = entries.filter((e) => e.action.startsWith("secret."));
      expect(mine.map((e) => e.action)).toEqual(["secret.delete", "secret.replace", "secret.create"]);
      for (const e of mine) {
        expect(e.details).toEqual({ clusterId: cluster.id, path: "api/key" });
        expect(e.actor).toContain("bootstrap-admin");
      }
    });

    it("keeps only ciphertext in the database", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const value = unique("plain-text-to-hide");
      await h.json(url(cluster.id, "db/password"), put(value));
      const [row] = await rowsOf(h, cluster.id);
      expect(row).toBeDefined();
      const stored = new TextDecoder().decode(row?.ciphertext);
      expect(stored).not.toContain(value);
      expect(row?.ciphertext.length).toBe(new TextEncoder().encode(value).length + 16); // + GCM tag
      expect(row?.iv.length).toBe(12);
      expect(row?.keyId).toMatch(/^[0-9a-f]{16}$/);
      // A new IV on every write: the same value never gives the same ciphertext twice.
      await h.json(url(cluster.id, "db/password"), put(value));
      const [again] = await rowsOf(h, cluster.id);
      expect([...(again?.iv ?? [])]).not.toEqual([...(row?.iv ?? [])]);
    });

    it("lets an operator list but not set or delete, refuses viewers, anonymous callers and agents", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      await h.json(url(cluster.id, "db/password"), put("v"));
      const operator = await seedToken(h, "operator");
      const viewer = await seedToken(h, "viewer");
      const agent = await newAgent(h, cluster);

      expect((await h.request(url(cluster.id), { token: operator })).status).toBe(200);
      expect((await h.request(url(cluster.id, "x"), put("v", operator))).status).toBe(403);
      expect(
        (await h.request(url(cluster.id, "db/password"), { method: "DELETE", token: operator })).status,
      ).toBe(403);
      const refused = await h.request(url(cluster.id), { token: viewer });
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({
        code: "FORBIDDEN",
        detail: expect.stringMatching(/operator/),
      });
      expect((await h.request(url(cluster.id), { token: null })).status).toBe(401);
      expect((await h.request(url(cluster.id), { token: agent.credential })).status).toBe(403);
      expect((await h.json<Listed>(url(cluster.id))).secrets).toHaveLength(1);
    });

    it("refuses a token limited to another cluster on every secret route", async () => {
      const h = await make();
      const [mine, theirs] = [await newCluster(h), await newCluster(h)];
      const limited = await seedToken(h, "admin", [mine.id]);
      expect((await h.request(url(mine.id, "ok"), put("v", limited))).status).toBe(200);
      const answers = [
        await h.request(url(theirs.id, "x"), put("v", limited)),
        await h.request(url(theirs.id), { token: limited }),
        await h.request(url(theirs.id, "x"), { method: "DELETE", token: limited }),
      ];
      expect(answers.map((r) => r.status)).toEqual([403, 403, 403]);
      expect(await rowsOf(h, theirs.id)).toEqual([]);
    });

    it("refuses bad input with 400 and writes nothing", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const bad: [string, RequestInit][] = [
        [url(cluster.id, "big"), put("x".repeat(64 * 1024 + 1))],
        [url(cluster.id, "big"), put("é".repeat(32 * 1024 + 1))], // 64 KiB + 2 bytes of UTF-8
        [url(cluster.id, "a//b"), put("v")],
        [url(cluster.id, "../etc"), put("v")],
        [url(cluster.id, ".hidden"), put("v")],
        [url(cluster.id, "with space"), put("v")],
        [url(cluster.id, "x".repeat(257)), put("v")],
        [url(cluster.id, "ok"), { method: "PUT", body: JSON.stringify({ value: "v", extra: 1 }) }],
        [url(cluster.id, "ok"), { method: "PUT", body: JSON.stringify({}) }],
        [url(cluster.id, "ok"), { method: "PUT", body: JSON.stringify({ value: 42 }) }],
      ];
      for (const [path, init] of bad) {
        const res = await h.request(path, init);
        expect(res.status, `${init.method} ${path.slice(0, 80)}`).toBe(400);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
      expect(await rowsOf(h, cluster.id)).toEqual([]);
      // The limits themselves are fine.
      await h.json(url(cluster.id, "big"), put("x".repeat(64 * 1024)));
      await h.json(url(cluster.id, `${"x".repeat(200)}/${"y".repeat(55)}`), put("v"));
    });

    it("also takes the secret's path with its slashes as they are, as DC/OS and Nomad did", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const literal = `/v1/clusters/${cluster.id}/secrets/team/db/password`;
      expect(await h.json(literal, put("v"))).toMatchObject({ path: "team/db/password", created: true });
      expect((await h.json<Listed>(url(cluster.id))).secrets.map((s) => s.path)).toEqual([
        "team/db/password",
      ]);
      expect((await h.request(`/v1/clusters/${cluster.id}/secrets/team//x`, put("v"))).status).toBe(400);
      expect((await h.request(literal, { method: "DELETE" })).status).toBe(204);
      expect(await rowsOf(h, cluster.id)).toEqual([]);
    });

    it("documents the secret routes with the role each needs", async () => {
      const h = await make();
      type Op = { description: string };
      const doc = await h.json<{ paths: Record<string, Record<string, Op>> }>("/openapi.json", {
        token: null,
      });
      const one = doc.paths["/v1/clusters/{cluster}/secrets/{path}"];
      expect(one?.put?.description).toMatch(/Role: admin/);
      expect(one?.delete?.description).toMatch(/Role: admin/);
      expect(doc.paths["/v1/clusters/{cluster}/secrets"]?.get?.description).toMatch(/Role: operator/);
      expect(doc.paths["/v1/agent/clusters/{cluster}/secrets"]?.post?.description).toMatch(
        /Agent credential/,
      );
    });

    it("answers 404 for a cluster that does not exist", async () => {
      const h = await make();
      expect((await h.request(url(unique("nope"), "a"), put("v"))).status).toBe(404);
      expect((await h.request(url(unique("nope")))).status).toBe(404);
    });

    it("refuses at install time an app whose env names a secret its secrets do not declare", async () => {
      const h = await make();
      const name = unique("app");
      await seedCatalog(h, [
        pkg({
          name,
          version: "1.0.0",
          marathon: `{"id": "/${name}", "cmd": "env", "env": {"DB_PASSWORD": {"secret": "db"}}, "secrets": {"other": {"source": "db/password"}}}`,
        }),
      ]);
      const cluster = await newCluster(h);
      const res = await h.request(`/v1/clusters/${cluster.id}/installs`, post({ package: name }));
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { detail: string; reason: string };
      expect(problem.reason).toBe("INVALID_PLAN");
      expect(problem.detail).toMatch(/env\.DB_PASSWORD refers to secret "db"/);
    });

    it("answers 503 on the secret routes of a gateway without a key, saying how to set one; the rest works", async () => {
      const h = await make({ secretsKey: null });
      const cluster = await newCluster(h);
      for (const res of [
        await h.request(url(cluster.id, "db/password"), put("v")),
        await h.request(url(cluster.id)),
        await h.request(url(cluster.id, "db/password"), { method: "DELETE" }),
      ]) {
        expect(res.status).toBe(503);
        expect(await res.json()).toMatchObject({
          code: "UNAVAILABLE",
          reason: "SECRETS_NOT_CONFIGURED",
          detail: expect.stringContaining("wrangler secret put FLOTILLA_SECRETS_KEY"),
        });
      }
      const agent = await newAgent(h, cluster);
      const resolve = await h.request(
        `/v1/agent/clusters/${cluster.id}/secrets`,
        post({ paths: ["db/password"] }, agent.credential),
      );
      expect(resolve.status).toBe(503);
      expect((await h.request(`/v1/clusters/${cluster.id}`)).status).toBe(200);
      expect(await rowsOf(h, cluster.id)).toEqual([]);
    });
  });

  secretsAgentSuite(make);
}

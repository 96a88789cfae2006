/**
 * The audit log (who, what, when; newest first; per cluster; paged) and who may do what with
 * installs: roles and tokens limited to other clusters, every refusal writing nothing.
 * Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { type Harness, post, unique } from "../harness.js";
import { desiredRevisionOf, newCluster, pkg, seedCatalog, seedToken } from "./installs-fixtures.js";

interface AuditPage {
  entries: {
    id: string;
    at: string;
    actor: string;
    action: string;
    target: string;
    details: Record<string, unknown>;
  }[];
  next: string | null;
}

export function installsAuditSuite(make: () => Promise<Harness>): void {
  describe("installs audit and roles", () => {
    it("records who installed, updated and uninstalled what and when, newest first, for one cluster", async () => {
      const h = await make();
      const name = unique("aud");
      await seedCatalog(h, [pkg({ name, version: "1.0.0" })]);
      const operator = await seedToken(h, "operator");
      const cluster = await newCluster(h);
      const other = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      h.clock.advance(1_000);
      const installedAt = h.clock.now();
      const install = await h.json<{ id: string }>(base, post({ package: name }, operator), 201);
      await h.json(`/v1/clusters/${other.id}/installs`, post({ package: name }), 201);
      h.clock.advance(1_000);
      await h.json(`${base}/${name}`, {
        method: "PATCH",
        body: JSON.stringify({ options: { service: { cpus: 1 } } }),
      });
      h.clock.advance(1_000);
      await h.json(`${base}/${name}`, { method: "DELETE", token: operator });

      const page = await h.json<AuditPage>(`/v1/audit?cluster=${cluster.name}`);
      expect(page.entries.map((e) => e.action)).toEqual([
        "install.delete",
        "install.update",
        "install.create",
        "cluster.create",
      ]);
      const created = page.entries[2]!;
      expect(created).toMatchObject({
        target: install.id,
        at: new Date(installedAt).toISOString(),
        details: { clusterId: cluster.id, appId: `/${name}`, package: name, version: "1.0.0" },
      });
      expect(created.actor).toMatch(/^token:operator-/);
      expect(page.entries[1]!.actor).toMatch(/bootstrap-admin/);
      expect(page.entries[0]!.actor).toBe(created.actor);

      const first = await h.json<AuditPage>(`/v1/audit?cluster=${cluster.id}&limit=2`);
      expect(first.entries.map((e) => e.action)).toEqual(["install.delete", "install.update"]);
      const second = await h.json<AuditPage>(`/v1/audit?cluster=${cluster.id}&limit=2&before=${first.next}`);
      expect(second.entries.map((e) => e.action)).toEqual(["install.create", "cluster.create"]);
      expect((await h.request("/v1/audit?before=yesterday")).status).toBe(400);
    });

    it("lets only admins read the audit log, and a limited admin only its own clusters", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const other = await newCluster(h);
      expect((await h.request("/v1/audit", { token: await seedToken(h, "operator") })).status).toBe(403);
      expect((await h.request("/v1/audit", { token: null })).status).toBe(401);
      const limited = await seedToken(h, "admin", [cluster.id]);
      expect((await h.request("/v1/audit", { token: limited })).status).toBe(403);
      expect((await h.request(`/v1/audit?cluster=${other.id}`, { token: limited })).status).toBe(403);
      expect((await h.request(`/v1/audit?cluster=${cluster.id}`, { token: limited })).status).toBe(200);
    });

    it("refuses installs by a viewer (403) and by a token limited to another cluster (403), writing nothing", async () => {
      const h = await make();
      const name = unique("guard");
      await seedCatalog(h, [pkg({ name, version: "1.0.0" })]);
      const cluster = await newCluster(h);
      const other = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      const viewer = await seedToken(h, "viewer");
      const elsewhere = await seedToken(h, "operator", [other.id]);

      expect((await h.request(base, post({ package: name }, viewer))).status).toBe(403);
      expect((await h.request(base, post({ package: name }, elsewhere))).status).toBe(403);
      expect((await h.request(base, post({ package: name }, null))).status).toBe(401);
      expect(await h.json<{ installs: unknown[] }>(base, { token: viewer })).toEqual({ installs: [] });
      expect(await desiredRevisionOf(h, cluster.id)).toBe(cluster.desiredRevision);

      await h.json(base, post({ package: name }), 201);
      const url = `${base}/${name}`;
      for (const token of [viewer, elsewhere]) {
        expect((await h.request(url, { method: "PATCH", body: '{"replace":true}', token })).status).toBe(403);
        expect((await h.request(`${url}/rollback`, post({ toRevision: 1 }, token))).status).toBe(403);
        expect((await h.request(url, { method: "DELETE", token })).status).toBe(403);
      }
      // Reading is a viewer's right, but not on a cluster the token is not limited to.
      expect((await h.request(url, { token: viewer })).status).toBe(200);
      for (const path of [
        base,
        url,
        `${url}/history`,
        `${url}/status`,
        `/v1/clusters/${cluster.id}/status`,
      ]) {
        expect((await h.request(path, { token: elsewhere })).status).toBe(403);
      }
      expect((await h.json<{ revision: number }>(url)).revision).toBe(1);
    });
  });
}

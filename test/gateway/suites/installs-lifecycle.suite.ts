/**
 * Install lifecycle: updating options (merge or replace) and versions (upgradesFrom /
 * downgradesTo), history, rollback as a new revision, optimistic concurrency, and uninstall
 * with its REQUIRED_BY guard. Runs on Node and in workerd.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { installRevisions } from "../../../gateway/db/schema.js";
import { type Harness, post, unique } from "../harness.js";
import { dbOf, desiredRevisionOf, newCluster, pkg, seedCatalog } from "./installs-fixtures.js";

interface Change {
  id: string;
  appId: string;
  version: string;
  revision: number;
  options: { user: Record<string, unknown>; resolved: Record<string, unknown> };
  plan: { apps: { id: string; cpus: number; mem: number }[] } & Record<string, unknown>;
  desiredRevision: number;
  history: { revision: number; reason: string; restoredRevision: number | null }[];
}

const patch = (body: unknown) => ({ method: "PATCH", body: JSON.stringify(body) });

/** A Universe 4.0 package: 2.0.0 upgrades from 1.0.0; 3.0.0 only from 2.0.0. */
async function versionedWorld(h: Harness) {
  const name = unique("db");
  await seedCatalog(h, [
    pkg({ name, version: "1.0.0", releaseVersion: 0, packagingVersion: "4.0" }),
    pkg({ name, version: "2.0.0", releaseVersion: 1, packagingVersion: "4.0", upgradesFrom: ["1.0.0"] }),
    pkg({ name, version: "3.0.0", releaseVersion: 2, packagingVersion: "4.0", upgradesFrom: ["2.0.0"] }),
  ]);
  const cluster = await newCluster(h);
  const base = `/v1/clusters/${cluster.id}/installs`;
  const installed = await h.json<Change>(
    base,
    post({ package: name, version: "1.0.0", options: { service: { mem: 300 } } }),
    201,
  );
  return { name, cluster, base, installed, url: `${base}/${name}` };
}

export function installsLifecycleSuite(make: () => Promise<Harness>): void {
  describe("installs lifecycle", () => {
    it("merges new options over the previous user options, or replaces them with replace: true", async () => {
      const h = await make();
      const { url, installed } = await versionedWorld(h);
      const merged = await h.json<Change>(url, patch({ options: { service: { cpus: 1 } } }));
      expect(merged).toMatchObject({ revision: 2, version: "1.0.0" });
      expect(merged.options.user).toEqual({ service: { mem: 300, cpus: 1 } });
      expect(merged.plan.apps[0]).toMatchObject({ cpus: 1, mem: 300 });
      expect(merged.desiredRevision).toBe(installed.desiredRevision + 1);

      const replaced = await h.json<Change>(url, patch({ options: { service: { cpus: 2 } }, replace: true }));
      expect(replaced.options.user).toEqual({ service: { cpus: 2 } });
      expect(replaced.options.resolved).toMatchObject({ service: { cpus: 2, mem: 256 } });
      expect(replaced.plan.apps[0]).toMatchObject({ cpus: 2, mem: 256 });
      expect((await h.request(url, patch({}))).status).toBe(400);
      const bad = await h.request(url, patch({ options: { service: { mem: 1 } } }));
      expect(bad.status).toBe(400);
      expect((await h.json<Change>(url)).revision).toBe(3);
    });

    it("upgrades when upgradesFrom allows it and refuses with 409 UPGRADE_NOT_ALLOWED and the reason when not", async () => {
      const h = await make();
      const { url, cluster } = await versionedWorld(h);
      const before = await desiredRevisionOf(h, cluster.id);
      const skip = await h.request(url, patch({ version: "3.0.0" }));
      expect(skip.status).toBe(409);
      const problem = (await skip.json()) as { reason: string; detail: string };
      expect(problem.reason).toBe("UPGRADE_NOT_ALLOWED");
      expect(problem.detail).toMatch(/upgradesFrom \["2\.0\.0"\] does not include 1\.0\.0/);
      expect(await desiredRevisionOf(h, cluster.id)).toBe(before);

      const upgraded = await h.json<Change>(url, patch({ version: "2.0.0" }));
      expect(upgraded).toMatchObject({ version: "2.0.0", revision: 2 });
      // The user's options carry over to the new version.
      expect(upgraded.options.user).toEqual({ service: { mem: 300 } });
      // 1.0.0 lists no downgradesTo and is a Universe package, so there is no way back by update.
      expect((await h.request(url, patch({ version: "1.0.0" }))).status).toBe(409);
    });

    it("rolls an upgrade back as a new revision that restores exactly the earlier plan, the desired revision only moving forward", async () => {
      const h = await make();
      const { url, installed } = await versionedWorld(h);
      const upgraded = await h.json<Change>(
        url,
        patch({ version: "2.0.0", options: { service: { cpus: 3 } } }),
      );
      expect(upgraded.plan).not.toEqual(installed.plan);
      const rolledBack = await h.json<Change>(`${url}/rollback`, post({ toRevision: 1 }));
      expect(rolledBack).toMatchObject({ revision: 3, version: "1.0.0" });
      expect(rolledBack.plan).toEqual(installed.plan);
      expect(rolledBack.options).toEqual(installed.options);
      expect(installed.desiredRevision).toBeLessThan(upgraded.desiredRevision);
      expect(upgraded.desiredRevision).toBeLessThan(rolledBack.desiredRevision);
      expect(rolledBack.history.map((r) => [r.revision, r.reason, r.restoredRevision])).toEqual([
        [1, "install", null],
        [2, "update", null],
        [3, "rollback", 1],
      ]);
      expect((await h.request(`${url}/rollback`, post({ toRevision: 3 }))).status).toBe(409);
      expect((await h.request(`${url}/rollback`, post({ toRevision: 9 }))).status).toBe(404);
    });

    it("keeps a history of every revision with reason, author, time, version and user options", async () => {
      const h = await make();
      const { url } = await versionedWorld(h);
      h.clock.advance(60_000);
      await h.json(url, patch({ version: "2.0.0", options: { service: { instances: 2 } } }));
      const history = await h.json<{
        currentRevision: number;
        revisions: {
          revision: number;
          reason: string;
          version: string;
          createdAt: string;
          createdBy: string;
          userOptions: unknown;
          current: boolean;
        }[];
      }>(`${url}/history`);
      expect(history.currentRevision).toBe(2);
      expect(history.revisions).toMatchObject([
        {
          revision: 1,
          reason: "install",
          version: "1.0.0",
          userOptions: { service: { mem: 300 } },
          current: false,
        },
        {
          revision: 2,
          reason: "update",
          version: "2.0.0",
          userOptions: { service: { mem: 300, instances: 2 } },
          current: true,
        },
      ]);
      expect(history.revisions[0]!.createdBy).toMatch(/bootstrap-admin/);
      expect(Date.parse(history.revisions[1]!.createdAt) - Date.parse(history.revisions[0]!.createdAt)).toBe(
        60_000,
      );
    });

    it("refuses an update that a concurrent writer got in first with 409 CONFLICT, changing nothing", async () => {
      const h = await make();
      const { url, installed, cluster } = await versionedWorld(h);
      // A concurrent writer has inserted revision 2 and not yet moved the install forward.
      const db = dbOf(h);
      const [rev1] = await db
        .select()
        .from(installRevisions)
        .where(eq(installRevisions.installId, installed.id));
      await db.insert(installRevisions).values({ ...rev1!, revision: 2, reason: "update" });
      const before = await desiredRevisionOf(h, cluster.id);
      const res = await h.request(url, patch({ options: { service: { cpus: 1 } } }));
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: "CONFLICT", reason: "CONCURRENT_CHANGE" });
      expect((await h.json<Change>(url)).revision).toBe(1);
      expect(await desiredRevisionOf(h, cluster.id)).toBe(before);
    });

    it("refuses to move a dependency out of the range an install depending on it asks for", async () => {
      const h = await make();
      const lib = unique("lib");
      const app = unique("app");
      await seedCatalog(h, [
        pkg({ name: lib, version: "1.0.0", releaseVersion: 0 }),
        pkg({ name: lib, version: "1.5.0", releaseVersion: 1 }),
        pkg({ name: lib, version: "2.0.0", releaseVersion: 2 }),
        pkg({ name: app, version: "1.0.0", dependencies: { [lib]: "^1" } }),
      ]);
      const cluster = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      await h.json(base, post({ package: app }), 201);
      const res = await h.request(`${base}/${lib}`, patch({ version: "2.0.0" }));
      expect(res.status).toBe(409);
      const problem = (await res.json()) as { reason: string; detail: string };
      expect(problem.reason).toBe("BREAKS_DEPENDENTS");
      expect(problem.detail).toContain(`/${app} requires ^1`);
      expect((await h.json<Change>(`${base}/${lib}`)).version).toBe("1.5.0");
      // Within the range is fine (Flotilla packages without lists allow any change).
      expect((await h.json<Change>(`${base}/${lib}`, patch({ version: "1.0.0" }))).version).toBe("1.0.0");
    });

    it("refuses to uninstall a dependency another install needs (409 REQUIRED_BY) unless forced", async () => {
      const h = await make();
      const lib = unique("lib");
      const app = unique("app");
      const spare = unique("spare");
      await seedCatalog(h, [
        pkg({ name: lib, version: "1.0.0" }),
        pkg({ name: app, version: "1.0.0", dependencies: { [lib]: "^1" } }),
        pkg({ name: spare, version: "1.0.0", dependencies: { [lib]: "^1" } }),
      ]);
      const cluster = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      await h.json(base, post({ package: app }), 201);
      const refused = await h.request(`${base}/${lib}`, { method: "DELETE" });
      expect(refused.status).toBe(409);
      const problem = (await refused.json()) as { reason: string; detail: string };
      expect(problem.reason).toBe("REQUIRED_BY");
      expect(problem.detail).toContain(`/${app}`);

      const before = await desiredRevisionOf(h, cluster.id);
      const removed = await h.json<{ appId: string; desiredRevision: number }>(`${base}/${app}`, {
        method: "DELETE",
      });
      expect(removed).toMatchObject({ appId: `/${app}`, desiredRevision: before + 1 });
      expect((await h.request(`${base}/${app}`)).status).toBe(404);
      await h.json(`${base}/${lib}`, { method: "DELETE" });

      await h.json(base, post({ package: spare }), 201);
      await h.json(`${base}/${lib}?force=true`, { method: "DELETE" });
      const left = await h.json<{ installs: { appId: string }[] }>(base);
      expect(left.installs.map((i) => i.appId)).toEqual([`/${spare}`]);
      expect((await h.request(`${base}/${unique("ghost")}`, { method: "DELETE" })).status).toBe(404);
    });
  });
}

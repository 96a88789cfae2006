/**
 * Installs: installing packages with their dependencies, and every refusal leaving nothing
 * written. Runs on Node and in workerd. The lifecycle (update, rollback, uninstall), the
 * audit log and roles, and the status views are in the suites registered from here.
 */
import { describe, expect, it } from "vitest";
import { type Harness, post, unique } from "../harness.js";
import { installsAuditSuite } from "./installs-audit.suite.js";
import { desiredRevisionOf, newCluster, pkg, seedCatalog } from "./installs-fixtures.js";
import { installsLifecycleSuite } from "./installs-lifecycle.suite.js";
import { statusSuite } from "./status.suite.js";

interface Detail {
  id: string;
  appId: string;
  package: string;
  version: string;
  revision: number;
  options: { user: Record<string, unknown>; resolved: Record<string, unknown> };
  plan: {
    package: { name: string; version: string };
    apps: { id: string; mem: number; labels: Record<string, string> }[];
  };
  dependsOn: string[];
  requiredBy: string[];
  history: { revision: number; reason: string }[];
  postInstallNotes: string | null;
  desiredRevision: number;
  dependencies: { package: string; version: string; appId: string; action: string }[];
}

const installsOf = async (h: Harness, cluster: string) =>
  (
    await h.json<{ installs: { appId: string; package: string; version: string }[] }>(
      `/v1/clusters/${cluster}/installs`,
    )
  ).installs;

/** A library with three versions and packages depending on it by range. */
async function libraryWorld(h: Harness) {
  const lib = unique("lib");
  const app = unique("app");
  const other = unique("other");
  const mid = unique("mid");
  const clash = unique("clash");
  await seedCatalog(h, [
    pkg({ name: lib, version: "1.0.0", releaseVersion: 0 }),
    pkg({ name: lib, version: "1.2.0", releaseVersion: 1 }),
    pkg({ name: lib, version: "2.0.0", releaseVersion: 2 }),
    pkg({ name: app, version: "1.0.0", dependencies: { [lib]: "^1.0.0" } }),
    pkg({ name: other, version: "1.0.0", dependencies: { [lib]: "^1.1" } }),
    pkg({ name: mid, version: "1.0.0", dependencies: { [lib]: "^2" } }),
    pkg({ name: clash, version: "1.0.0", dependencies: { [lib]: "^1", [mid]: "1.0.0" } }),
  ]);
  return { lib, app, other, mid, clash };
}

export function installsSuite(make: () => Promise<Harness>): void {
  describe("installs", () => {
    it("installs the latest stable version, stores the rendered plan and bumps the desired revision once", async () => {
      const h = await make();
      const name = unique("web");
      const { uri } = await seedCatalog(h, [
        pkg({ name, version: "1.0.0", releaseVersion: 0 }),
        pkg({ name, version: "1.1.0", releaseVersion: 1, postInstallNotes: "web is up" }),
        pkg({ name, version: "2.0.0-rc.1", releaseVersion: 2 }),
      ]);
      const cluster = await newCluster(h);
      const created = await h.json<Detail>(
        `/v1/clusters/${cluster.name}/installs`,
        post({ package: name, options: { service: { mem: 512 } } }),
        201,
      );
      expect(created).toMatchObject({ appId: `/${name}`, package: name, version: "1.1.0", revision: 1 });
      expect(created.options.user).toEqual({ service: { mem: 512 } });
      expect(created.options.resolved).toEqual({ service: { name, cpus: 0.5, mem: 512, instances: 1 } });
      expect(created.plan.apps).toHaveLength(1);
      expect(created.plan.apps[0]).toMatchObject({ id: `/${name}`, mem: 512 });
      expect(created.plan.apps[0]!.labels).toMatchObject({
        DCOS_PACKAGE_NAME: name,
        DCOS_PACKAGE_SOURCE: uri,
      });
      expect(created.postInstallNotes).toBe("web is up");
      expect(created.desiredRevision).toBe(cluster.desiredRevision + 1);
      expect(await desiredRevisionOf(h, cluster.id)).toBe(cluster.desiredRevision + 1);

      const described = await h.json<Detail>(`/v1/clusters/${cluster.id}/installs/${name}`);
      expect(described.plan).toEqual(created.plan);
      expect(described.history).toMatchObject([{ revision: 1, reason: "install" }]);
      expect(await installsOf(h, cluster.id)).toMatchObject([{ appId: `/${name}`, version: "1.1.0" }]);
    });

    it("installs an exact version or a semver range, and names a nested appId in the path URL-encoded", async () => {
      const h = await make();
      const name = unique("api");
      await seedCatalog(h, [
        pkg({ name, version: "1.0.0", releaseVersion: 0 }),
        pkg({ name, version: "1.4.2", releaseVersion: 1 }),
        pkg({ name, version: "2.0.0", releaseVersion: 2 }),
      ]);
      const cluster = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      expect(
        await h.json<Detail>(base, post({ package: name, version: "1.0.0", appId: "one" }), 201),
      ).toMatchObject({ appId: "/one", version: "1.0.0" });
      const ranged = await h.json<Detail>(
        base,
        post({ package: name, version: "^1.1", appId: "/team/api" }),
        201,
      );
      expect(ranged).toMatchObject({ appId: "/team/api", version: "1.4.2" });
      expect(ranged.plan.apps[0]!.id).toBe("/team/api");
      expect(await h.json<Detail>(`${base}/team%2Fapi`)).toMatchObject({
        appId: "/team/api",
        version: "1.4.2",
      });
    });

    it("falls back to the Cosmos default for a Universe package without a stable semver version", async () => {
      const h = await make();
      const name = unique("legacy");
      await seedCatalog(h, [
        pkg({ name, version: "0.3.16.4", releaseVersion: 3, packagingVersion: "4.0" }),
        pkg({ name, version: "v0.4.0-beta", releaseVersion: 7, packagingVersion: "4.0" }),
        pkg({ name, version: "6.0.0rc1", releaseVersion: 5, packagingVersion: "4.0" }),
      ]);
      const cluster = await newCluster(h);
      const created = await h.json<Detail>(
        `/v1/clusters/${cluster.id}/installs`,
        post({ package: name }),
        201,
      );
      expect(created.version).toBe("v0.4.0-beta");
    });

    it("installs dependencies first in one change, and reuses an installed dependency whose version satisfies the range", async () => {
      const h = await make();
      const { lib, app, other } = await libraryWorld(h);
      const cluster = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      const first = await h.json<Detail>(base, post({ package: app }), 201);
      expect(first.dependencies).toEqual([
        { package: lib, version: "1.2.0", appId: `/${lib}`, action: "installed" },
      ]);
      expect(first.dependsOn).toEqual([`/${lib}`]);
      expect(first.desiredRevision).toBe(cluster.desiredRevision + 1);
      expect((await installsOf(h, cluster.id)).map((i) => [i.package, i.version]).sort()).toEqual(
        [
          [app, "1.0.0"],
          [lib, "1.2.0"],
        ].sort(),
      );

      const second = await h.json<Detail>(base, post({ package: other }), 201);
      expect(second.dependencies).toEqual([
        { package: lib, version: "1.2.0", appId: `/${lib}`, action: "reused" },
      ]);
      expect(second.desiredRevision).toBe(cluster.desiredRevision + 2);
      expect(await installsOf(h, cluster.id)).toHaveLength(3);
      const library = await h.json<Detail>(`${base}/${lib}`);
      expect(library.requiredBy.sort()).toEqual([`/${app}`, `/${other}`].sort());
    });

    it("refuses conflicting dependency ranges with 409 naming the packages and ranges, writing nothing", async () => {
      const h = await make();
      const { lib, mid, clash } = await libraryWorld(h);
      const cluster = await newCluster(h);
      const res = await h.request(`/v1/clusters/${cluster.id}/installs`, post({ package: clash }));
      expect(res.status).toBe(409);
      const problem = (await res.json()) as { reason: string; detail: string };
      expect(problem.reason).toBe("DEPENDENCY_CONFLICT");
      expect(problem.detail).toContain(`[${lib}]`);
      expect(problem.detail).toContain(`${clash}@1.0.0 requires ^1`);
      expect(problem.detail).toContain(`${mid}@1.0.0 requires ^2`);
      expect(await installsOf(h, cluster.id)).toEqual([]);
      expect(await desiredRevisionOf(h, cluster.id)).toBe(cluster.desiredRevision);
    });

    it("refuses a dependency range that the installed dependency does not satisfy, naming the install", async () => {
      const h = await make();
      const { lib, app, mid } = await libraryWorld(h);
      const cluster = await newCluster(h);
      await h.json(`/v1/clusters/${cluster.id}/installs`, post({ package: app }), 201);
      const before = await desiredRevisionOf(h, cluster.id);
      const res = await h.request(`/v1/clusters/${cluster.id}/installs`, post({ package: mid }));
      expect(res.status).toBe(409);
      const problem = (await res.json()) as { detail: string };
      expect(problem.detail).toContain(`${mid}@1.0.0 requires ^2`);
      expect(problem.detail).toContain(`1.2.0 as /${lib}`);
      expect(await installsOf(h, cluster.id)).toHaveLength(2);
      expect(await desiredRevisionOf(h, cluster.id)).toBe(before);
    });

    it("refuses options that fail the package's schema with 400 listing each failing field, writing nothing", async () => {
      const h = await make();
      const name = unique("strict");
      await seedCatalog(h, [pkg({ name, version: "1.0.0" })]);
      const cluster = await newCluster(h);
      const res = await h.request(
        `/v1/clusters/${cluster.id}/installs`,
        post({ package: name, options: { service: { cpus: 0.01, mem: "lots", colour: "red" } } }),
      );
      expect(res.status).toBe(400);
      const problem = (await res.json()) as {
        reason: string;
        detail: string;
        details: { errors: { pointer: string }[] };
      };
      expect(problem.reason).toBe("OPTIONS_INVALID");
      expect(problem.details.errors.map((e) => e.pointer)).toEqual(
        expect.arrayContaining(["/service/cpus", "/service/mem"]),
      );
      expect(problem.detail).toMatch(/\/service\/cpus/);
      expect(problem.detail).toMatch(/\/service\/mem/);
      expect(await installsOf(h, cluster.id)).toEqual([]);
      expect(await desiredRevisionOf(h, cluster.id)).toBe(cluster.desiredRevision);
    });

    it("answers 404 for an unknown package, version or cluster, and 400 for a malformed range or unknown field", async () => {
      const h = await make();
      const name = unique("known");
      await seedCatalog(h, [pkg({ name, version: "1.0.0" })]);
      const cluster = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      const unknownPackage = await h.request(base, post({ package: unique("nope") }));
      expect(unknownPackage.status).toBe(404);
      expect(((await unknownPackage.json()) as { reason: string }).reason).toBe("PACKAGE_NOT_FOUND");
      const unknownVersion = await h.request(base, post({ package: name, version: "9.9.9" }));
      expect(unknownVersion.status).toBe(404);
      expect(((await unknownVersion.json()) as { detail: string }).detail).toMatch(/available: 1\.0\.0/);
      expect((await h.request(base, post({ package: name, version: "not a range!" }))).status).toBe(400);
      expect((await h.request(base, post({ package: name, colour: "red" }))).status).toBe(400);
      expect(
        (await h.request(`/v1/clusters/${unique("nocluster")}/installs`, post({ package: name }))).status,
      ).toBe(404);
      expect(await installsOf(h, cluster.id)).toEqual([]);
    });

    it("refuses an app id already installed on the cluster with 409 ALREADY_INSTALLED", async () => {
      const h = await make();
      const name = unique("dup");
      await seedCatalog(h, [pkg({ name, version: "1.0.0" })]);
      const cluster = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      await h.json(base, post({ package: name }), 201);
      const again = await h.request(base, post({ package: name }));
      expect(again.status).toBe(409);
      expect(await again.json()).toMatchObject({ code: "CONFLICT", reason: "ALREADY_INSTALLED" });
      const explicit = await h.request(base, post({ package: name, appId: name }));
      expect(explicit.status).toBe(409);
      // Another appId is a second, independent install of the same package.
      await h.json(base, post({ package: name, appId: `${name}-b` }), 201);
      expect(await installsOf(h, cluster.id)).toHaveLength(2);
    });
  });

  describe("installs routes", () => {
    it("documents every install, status and audit route with the role it needs", async () => {
      const h = await make();
      type Op = { description: string };
      const doc = await h.json<{ paths: Record<string, Record<string, Op>> }>("/openapi.json", {
        token: null,
      });
      const role = (path: string, method: string) =>
        doc.paths[path]?.[method]?.description.match(/Role: (\w+)/)?.[1];
      const installs = "/v1/clusters/{cluster}/installs";
      const one = `${installs}/{appId}`;
      expect({
        install: role(installs, "post"),
        list: role(installs, "get"),
        describe: role(one, "get"),
        update: role(one, "patch"),
        uninstall: role(one, "delete"),
        history: role(`${one}/history`, "get"),
        rollback: role(`${one}/rollback`, "post"),
        installStatus: role(`${one}/status`, "get"),
        clusterStatus: role("/v1/clusters/{cluster}/status", "get"),
        audit: role("/v1/audit", "get"),
      }).toEqual({
        install: "operator",
        list: "viewer",
        describe: "viewer",
        update: "operator",
        uninstall: "operator",
        history: "viewer",
        rollback: "operator",
        installStatus: "viewer",
        clusterStatus: "viewer",
        audit: "admin",
      });
    });
  });

  installsLifecycleSuite(make);
  installsAuditSuite(make);
  statusSuite(make);
}

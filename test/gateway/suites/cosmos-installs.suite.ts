/**
 * A service's life through a cluster's Cosmos API: install → list → service describe →
 * service update → uninstall, with the version rules, option documents and uninstall rules
 * old clients rely on, and what Flotilla's own API then shows. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { type Harness, unique } from "../harness.js";
import { addIndex, indexEntry, tokenOf, word } from "./catalog-fixtures.suite.js";
import { call, cosmos, cosmosError, newCluster } from "./cosmos-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

/** 1.0.0 and 1.1.0 (which upgrades from 1.0.0 and downgrades to it), with notes. */
async function twoVersions(h: Harness) {
  const name = word("svc");
  const notes = { postInstallNotes: "Welcome!", postUninstallNotes: "Goodbye!" };
  await addIndex(h, unique("cos"), [
    indexEntry({ name, version: "1.0.0", extra: notes }, 1),
    indexEntry(
      { name, version: "1.1.0", extra: { ...notes, upgradesFrom: ["1.0.0"], downgradesTo: ["1.0.0"] } },
      2,
    ),
  ]);
  return name;
}

interface Listed {
  packages: {
    appId: string;
    packageInformation: { packageDefinition: Record<string, unknown>; resourceDefinition?: object };
  }[];
}

export function cosmosInstallsSuite(make: MakeHarness): void {
  describe("cosmos: installs", () => {
    it("installs, lists, describes, updates and uninstalls a service as a DC/OS client would", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = await twoVersions(h);
      const operator = await tokenOf(h, "operator");

      const installed = await call(
        h,
        cluster.name,
        "/package/install",
        { packageName: name, packageVersion: "1.0.0", options: { service: { cpus: 0.5 } } },
        { token: operator },
      );
      expect(installed).toEqual({
        packageName: name,
        packageVersion: "1.0.0",
        appId: `/${name}`,
        postInstallNotes: "Welcome!",
      });

      const listed = await call<Listed>(h, cluster.name, "/package/list", {}, { token: operator });
      expect(listed.packages).toHaveLength(1);
      expect(listed.packages[0]).toMatchObject({
        appId: `/${name}`,
        packageInformation: {
          packageDefinition: {
            name,
            version: "1.0.0",
            packagingVersion: "4.0",
            postInstallNotes: "Welcome!",
          },
          resourceDefinition: {
            assets: { container: { docker: { timeserverimage: "docker-user-name/time-server:part1" } } },
          },
        },
      });

      const described = await call(h, cluster.name, "/cosmos/service/describe", { appId: name });
      expect(described).toMatchObject({
        package: { name, version: "1.0.0", releaseVersion: 1 },
        upgradesTo: ["1.1.0"],
        downgradesTo: [],
        userProvidedOptions: { service: { cpus: 0.5 } },
        resolvedOptions: { service: { name, cpus: 0.5, mem: 256 } },
      });

      const updated = await call<{
        package: { version: string };
        resolvedOptions: object;
        marathonDeploymentId: string;
      }>(
        h,
        cluster.name,
        "/cosmos/service/update",
        { appId: `/${name}`, packageVersion: "1.1.0", options: { service: { mem: 512 } }, replace: false },
        { token: operator },
      );
      expect(updated.package.version).toBe("1.1.0");
      expect(updated.resolvedOptions).toEqual({ service: { name, cpus: 0.5, mem: 512 } });
      expect(updated.marathonDeploymentId).toMatch(/desired-revision\/\d+$/);
      // Flotilla's own view: a second revision, which the history keeps for rollback.
      const own = await h.json<{ version: string; revision: number; options: { user: object } }>(
        `/v1/clusters/${cluster.id}/installs/${name}`,
      );
      expect(own).toMatchObject({
        version: "1.1.0",
        revision: 2,
        options: { user: { service: { cpus: 0.5, mem: 512 } } },
      });

      const after = await call(h, cluster.name, "/cosmos/service/describe", { appId: name });
      expect(after).toMatchObject({ upgradesTo: [], downgradesTo: ["1.0.0"] });

      const replaced = await call<{ resolvedOptions: object }>(
        h,
        cluster.name,
        "/cosmos/service/update",
        { appId: name, options: { service: { cpus: 1 } }, replace: true },
        { token: operator },
      );
      expect(replaced.resolvedOptions).toEqual({ service: { name, cpus: 1, mem: 256 } });

      const gone = await call(
        h,
        cluster.name,
        "/package/uninstall",
        { packageName: name },
        { token: operator },
      );
      expect(gone).toEqual({
        results: [
          { packageName: name, appId: `/${name}`, packageVersion: "1.1.0", postUninstallNotes: "Goodbye!" },
        ],
      });
      expect((await call<Listed>(h, cluster.name, "/package/list", {})).packages).toEqual([]);
      expect(await h.json<{ installs: unknown[] }>(`/v1/clusters/${cluster.id}/installs`)).toMatchObject({
        installs: [],
      });
    });

    it("installs the Cosmos default version when none is asked for", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = word("def");
      await addIndex(h, unique("cos"), [
        indexEntry({ name, version: "2.0.0" }, 16),
        indexEntry({ name, version: "0.1.0" }, 700),
      ]);
      const res = await call(h, cluster.name, "/package/install", { packageName: name, appId: "/mine" });
      expect(res).toMatchObject({ packageVersion: "0.1.0", appId: "/mine" });
    });

    it("refuses a second install at the same app id with PackageAlreadyInstalled (409)", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = await twoVersions(h);
      await call(h, cluster.name, "/package/install", { packageName: name });
      const again = await cosmos(h, cluster.name, "/package/install", { packageName: name });
      const body = await cosmosError(again, 409, "PackageAlreadyInstalled");
      expect(body.message).toContain(`/${name}`);
    });

    it("asks which install to remove when a package is installed twice, or removes all", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = await twoVersions(h);
      await call(h, cluster.name, "/package/install", { packageName: name, appId: "/one" });
      await call(h, cluster.name, "/package/install", { packageName: name, appId: "/two" });

      const ambiguous = await cosmosError(
        await cosmos(h, cluster.name, "/package/uninstall", { packageName: name }),
        400,
        "AmbiguousAppId",
      );
      expect(ambiguous.message).toBe(
        `Multiple apps named [${name}] are installed: [/one, /two]; name one with appId, or pass all: true`,
      );
      expect(ambiguous.data).toEqual({ packageName: name, appIds: ["/one", "/two"] });
      expect(
        (await call<Listed>(h, cluster.name, "/package/list", { packageName: name })).packages,
      ).toHaveLength(2);

      const one = await call<{ results: { appId: string }[] }>(h, cluster.name, "/package/uninstall", {
        packageName: name,
        appId: "one",
      });
      expect(one.results.map((r) => r.appId)).toEqual(["/one"]);

      await call(h, cluster.name, "/package/install", { packageName: name, appId: "/three" });
      const all = await call<{ results: { appId: string }[] }>(h, cluster.name, "/package/uninstall", {
        packageName: name,
        all: true,
      });
      expect(all.results.map((r) => r.appId).sort()).toEqual(["/three", "/two"]);

      await cosmosError(
        await cosmos(h, cluster.name, "/package/uninstall", { packageName: name }),
        400,
        "PackageNotInstalled",
      );
      const stranger = await cosmosError(
        await cosmos(h, cluster.name, "/package/uninstall", { packageName: name, appId: "/nobody" }),
        400,
        "UninstallNonExistentAppForPackage",
      );
      expect(stranger.message).toBe(`Package [${name}] with id [/nobody] is not installed`);
    });

    it("refuses options that fail config.json, listing every failing path, and installs nothing", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = await twoVersions(h);
      const bad = { service: { cpus: 0.01, mem: "lots" } };
      for (const path of ["/package/render", "/package/install"]) {
        const res = await cosmos(h, cluster.name, path, { packageName: name, options: bad });
        const body = await cosmosError(res, 400, "JsonSchemaMismatch");
        expect(body.message).toMatch(/^Options JSON failed validation/);
        const errors = body.data?.errors as { instance: { pointer: string }; keyword: string }[];
        expect(errors.map((e) => e.instance.pointer).sort()).toEqual(["/service/cpus", "/service/mem"]);
        expect(errors.map((e) => e.keyword).sort()).toEqual(["minimum", "type"]);
      }
      expect((await call<Listed>(h, cluster.name, "/package/list", {})).packages).toEqual([]);
    });

    it("answers MarathonAppNotFound for a service that is not installed", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const res = await cosmos(h, cluster.name, "/cosmos/service/describe", { appId: "/nothing-here" });
      const body = await cosmosError(res, 400, "MarathonAppNotFound");
      expect(body.message).toBe("Unable to locate service with marathon appId: '/nothing-here'");
      const update = await cosmos(h, cluster.name, "/cosmos/service/update", {
        appId: "/nothing-here",
        replace: false,
      });
      await cosmosError(update, 400, "MarathonAppNotFound");
    });
  });
}

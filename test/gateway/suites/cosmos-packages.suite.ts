/**
 * The Cosmos package endpoints of a cluster's base URL: search, describe (Cosmos's
 * default-version rule, v3 and v2), list-versions and render, called as DC/OS clients did.
 * Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, unique } from "../harness.js";
import { addIndex, indexEntry, word } from "./catalog-fixtures.suite.js";
import { call, cosmos, decodeLabel, newCluster, ok } from "./cosmos-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

interface SearchResult {
  packages: { name: string; currentVersion: string; versions: Record<string, string>; selected: boolean }[];
}

export function cosmosPackagesSuite(make: MakeHarness): void {
  describe("cosmos: packages", () => {
    it("searches by substring or glob, selected packages first, as Cosmos did", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const w = word("cs");
      await addIndex(h, unique("cos"), [
        indexEntry({ name: `b-${w}` }, 0),
        indexEntry({ name: `a-${w}` }, 0),
        indexEntry({ name: `z-${w}`, extra: { selected: true } }, 3),
        indexEntry({ name: word("other"), description: `mentions ${w.toUpperCase()} loudly` }, 0),
      ]);
      const all = await call<SearchResult>(h, cluster.name, "/package/search", { query: w });
      expect(all.packages.map((p) => p.name).slice(0, 3)).toEqual([`z-${w}`, `a-${w}`, `b-${w}`]);
      expect(all.packages).toHaveLength(4);
      expect(all.packages[0]).toMatchObject({
        currentVersion: "1.0.0",
        versions: { "1.0.0": "3" },
        selected: true,
      });

      // A glob matches whole strings: the names start with a letter and a dash, the description does not.
      const glob = await call<SearchResult>(h, cluster.id, "/package/search", { query: `*-${w}` });
      expect(glob.packages.map((p) => p.name)).toEqual([`z-${w}`, `a-${w}`, `b-${w}`]);
      const none = await call<SearchResult>(h, cluster.id, "/package/search", { query: `nothing${w}` });
      expect(none.packages).toEqual([]);
    });

    it("describes the highest releaseVersion of a package, not its highest semver", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = word("rel");
      await addIndex(h, unique("cos"), [
        indexEntry({ name, version: "2.0.0" }, 16),
        indexEntry({ name, version: "0.1.0", extra: { postInstallNotes: "hi" } }, 700),
      ]);
      const v3 = await call<{ package: Record<string, unknown> }>(h, cluster.name, "/package/describe", {
        packageName: name,
        packageVersion: null,
      });
      expect(v3.package).toMatchObject({
        name,
        version: "0.1.0",
        releaseVersion: 700,
        postInstallNotes: "hi",
      });
      expect(v3.package.marathon).toHaveProperty("v2AppMustacheTemplate");
      expect(v3.package.config).toHaveProperty("properties.service");
      // Flotilla's own API keeps its semver rule for the same package.
      expect((await h.json<{ version: string }>(`/v1/packages/${name}`)).version).toBe("2.0.0");

      const exact = await call<{ package: { version: string } }>(h, cluster.name, "/package/describe", {
        packageName: name,
        packageVersion: "2.0.0",
      });
      expect(exact.package.version).toBe("2.0.0");

      const v2 = await call<Record<string, unknown>>(
        h,
        cluster.name,
        "/package/describe",
        { packageName: name },
        { version: "v2" },
      );
      expect(v2).toMatchObject({ name, version: "0.1.0", selected: false, framework: false });
      expect(v2).not.toHaveProperty("package");
      expect(v2).not.toHaveProperty("releaseVersion");
    });

    it("takes the default version from the highest-priority repository that has the package", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = word("prio");
      // Added first, so earlier in the priority order than the one added next.
      await addIndex(h, unique("first"), [indexEntry({ name, version: "1.0.0" }, 1)]);
      await addIndex(h, unique("second"), [indexEntry({ name, version: "5.0.0" }, 9)]);
      const described = await call<{ package: { version: string } }>(h, cluster.name, "/package/describe", {
        packageName: name,
      });
      expect(described.package.version).toBe("1.0.0");
      const versions = await call<{ results: Record<string, string> }>(
        h,
        cluster.name,
        "/package/list-versions",
        {
          packageName: name,
          includePackageVersions: true,
        },
      );
      expect(versions.results).toEqual({ "1.0.0": "1", "5.0.0": "9" });
    });

    it("lists every version with its releaseVersion", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = word("lv");
      await addIndex(h, unique("cos"), [
        indexEntry({ name, version: "2.0.0" }, 16),
        indexEntry({ name, version: "0.1.0" }, 700),
      ]);
      const res = await call<{ results: Record<string, string> }>(h, cluster.name, "/package/list-versions", {
        packageName: name,
      });
      expect(res.results).toEqual({ "0.1.0": "700", "2.0.0": "16" });
    });

    it("renders the time-server's Marathon app with the package labels and the appId last", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = word("ts");
      await addIndex(h, unique("cos"), [indexEntry({ name, version: "1.0.0" }, 0)]);
      const plain = await call<{ marathonJson: Record<string, unknown> }>(
        h,
        cluster.name,
        "/package/render",
        {
          packageName: name,
        },
      );
      expect(plain.marathonJson).toMatchObject({ id: name, cpus: 0.1, mem: 256, instances: 1 });

      const options = { service: { name: "clock", cpus: 0.5 } };
      const res = await call<{ marathonJson: { id: string; cpus: number; labels: Record<string, string> } }>(
        h,
        cluster.name,
        "/package/render",
        { packageName: name, packageVersion: "1.0.0", options, appId: "/team/clock" },
      );
      const app = res.marathonJson;
      expect(app.id).toBe("/team/clock");
      expect(app.cpus).toBe(0.5);
      expect(app.labels).toMatchObject({
        DCOS_PACKAGE_NAME: name,
        DCOS_PACKAGE_VERSION: "1.0.0",
        DCOS_SERVICE_NAME: "clock",
      });
      // Only what the user gave is recorded, not the defaults merged in.
      expect(decodeLabel(app.labels, "DCOS_PACKAGE_OPTIONS")).toEqual(options);
      expect(decodeLabel(app.labels, "DCOS_PACKAGE_DEFINITION")).toMatchObject({ name, version: "1.0.0" });
    });

    it("answers the default version for */*, plain JSON for application/json, and serves capabilities", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = word("acc");
      await addIndex(h, unique("cos"), [indexEntry({ name }, 0)]);
      const any = await cosmos(
        h,
        cluster.name,
        "/package/describe",
        { packageName: name },
        { accept: "*/*" },
      );
      expect((await ok<{ package: object }>(any, "/package/describe")).package).toMatchObject({ name });
      const none = await cosmos(
        h,
        cluster.name,
        "/package/describe",
        { packageName: name },
        { accept: null },
      );
      await ok(none, "/package/describe");

      const json = await cosmos(
        h,
        cluster.name,
        "/package/describe",
        { packageName: name },
        { accept: "application/json", contentType: "application/json" },
      );
      expect(json.status).toBe(200);
      expect(json.headers.get("content-type")).toBe("application/json;charset=utf-8");
      expect(await json.json()).toMatchObject({ package: { name } });

      const caps = await h.request(`/cosmos/clusters/${cluster.name}/capabilities`, {
        token: null,
        headers: { authorization: `token=${ADMIN_TOKEN}` },
      });
      expect(caps.status).toBe(200);
      expect(caps.headers.get("content-type")).toBe(
        "application/vnd.dcos.capabilities+json;charset=utf-8;version=v1",
      );
      expect(await caps.json()).toEqual({
        capabilities: [{ name: "PACKAGE_MANAGEMENT" }, { name: "SUPPORT_CLUSTER_REPORT" }],
      });
    });
  });
}

/**
 * Reading the catalog: ranked search with pagination, versions, describe (exact, range,
 * latest), and the render dry run with good and bad options. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { SearchResultSchema } from "../../../gateway/contract/catalog.js";
import { type Harness, post, unique } from "../harness.js";
import { addIndex, indexEntry, word } from "./catalog-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

interface Page {
  total: number;
  limit: number;
  offset: number;
  results: { name: string; score: number }[];
}

/** A package with three versions (one a prerelease, one not semver) and upgrade lists. */
async function threeVersions(h: Harness) {
  const pkg = word("desc");
  const repo = unique("desc");
  const up = (from: string[]) => ({ upgradesFrom: from, downgradesTo: ["1.0.0"] });
  await addIndex(h, repo, [
    indexEntry({ name: pkg, version: "1.0.0", extra: { postInstallNotes: "Welcome!" } }, 0),
    indexEntry({ name: pkg, version: "1.2.0", extra: up(["1.0.0"]) }, 1),
    indexEntry({ name: pkg, version: "2.0", extra: up(["*"]) }, 2),
    indexEntry({ name: pkg, version: "3.0.0-rc.1", extra: up(["*"]) }, 3),
  ]);
  return { pkg, repo };
}

export function catalogPackagesSuite(make: MakeHarness): void {
  describe("catalog: packages", () => {
    it("ranks search results by where the words match and pages through them", async () => {
      const h = await make();
      const w = word("rank");
      await addIndex(h, unique("rank"), [
        indexEntry({ name: `x-${w}`, description: "substring of the name" }, 0),
        indexEntry({ name: `${w}-tools`, description: "prefix of the name" }, 0),
        indexEntry({ name: word("tag"), tags: [w], description: "exact tag" }, 0),
        indexEntry({ name: w, description: "the exact name" }, 0),
        indexEntry({ name: word("dsc"), description: `mentions ${w} in passing` }, 0),
      ]);
      const res = await h.request(`/v1/packages?q=${w}`);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const all = (await res.json()) as Page;
      // Exactly the documented shape: nothing missing, nothing extra.
      expect(SearchResultSchema.parse(all)).toEqual(all);
      expect(all.total).toBe(5);
      expect(all.results.map((r) => r.score)).toEqual([1000, 500, 200, 100, 10]);
      expect(all.results.slice(0, 3).map((r) => r.name)).toEqual([w, `${w}-tools`, `x-${w}`]);

      const first = await h.json<Page>(`/v1/packages?q=${w}&limit=2`);
      const second = await h.json<Page>(`/v1/packages?q=${w}&limit=2&offset=2`);
      expect(first).toMatchObject({ total: 5, limit: 2, offset: 0 });
      expect([...first.results, ...second.results].map((r) => r.name)).toEqual(
        all.results.slice(0, 4).map((r) => r.name),
      );
      expect((await h.request(`/v1/packages?q=${w}&limit=0`)).status).toBe(400);
      expect((await h.request(`/v1/packages?q=${w}&limit=101`)).status).toBe(400);
      expect((await h.json<Page>(`/v1/packages?q=${w}%20nothing${w}`)).total).toBe(0);
    });

    it("lists every version newest first with its repository and semver view", async () => {
      const h = await make();
      const { pkg, repo } = await threeVersions(h);
      const res = await h.json<{
        latest: string;
        versions: {
          version: string;
          releaseVersion: number;
          repository: { name: string };
          semver: { value: string | null; loose: boolean; prerelease: boolean };
          digest: string | null;
        }[];
      }>(`/v1/packages/${pkg}/versions`);
      expect(res.latest).toBe("1.2.0");
      expect(res.versions.map((v) => v.version)).toEqual(["3.0.0-rc.1", "2.0", "1.2.0", "1.0.0"]);
      expect(res.versions[1]).toMatchObject({
        releaseVersion: 2,
        repository: { name: repo },
        semver: { value: "2.0.0", loose: true, prerelease: false },
        digest: null,
      });
      expect(res.versions[0]?.semver.prerelease).toBe(true);
      expect((await h.request(`/v1/packages/${word("none")}/versions`)).status).toBe(404);
    });

    it("describes a version asked for exactly, by range, or not at all", async () => {
      const h = await make();
      const { pkg, repo } = await threeVersions(h);
      const latest = await h.json<Record<string, unknown>>(`/v1/packages/${pkg}`);
      expect(latest).toMatchObject({
        name: pkg,
        version: "1.2.0",
        releaseVersion: 1,
        format: "universe",
        packagingVersion: "4.0",
        repository: { name: repo },
        templates: ["marathon"],
        upgradesTo: ["2.0", "3.0.0-rc.1"],
        downgradesTo: ["1.0.0"],
        dependencies: {},
        resource: {
          assets: { container: { docker: { timeserverimage: "docker-user-name/time-server:part1" } } },
        },
      });
      expect((latest.config as { properties: object }).properties).toHaveProperty("service");

      const ranged = await h.json<{ version: string }>(
        `/v1/packages/${pkg}?version=${encodeURIComponent("^1.0")}`,
      );
      expect(ranged.version).toBe("1.2.0");
      const exact = await h.json<{ version: string; notes: object }>(`/v1/packages/${pkg}?version=1.0.0`);
      expect(exact).toMatchObject({ version: "1.0.0", notes: { postInstall: "Welcome!", preInstall: null } });
      expect((await h.json<{ version: string }>(`/v1/packages/${pkg}?version=2.0`)).version).toBe("2.0");
      const pre = await h.json<{ version: string }>(`/v1/packages/${pkg}?version=%3E%3D3.0.0-0`);
      expect(pre.version).toBe("3.0.0-rc.1");

      const missing = await h.request(`/v1/packages/${pkg}?version=${encodeURIComponent("^9")}`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { detail: string }).detail).toMatch(/1\.0\.0, 1\.2\.0/);
      expect((await h.request(`/v1/packages/${pkg}?version=not%20a%20range!`)).status).toBe(400);
      expect((await h.request(`/v1/packages/${word("none")}`)).status).toBe(404);
      expect((await h.request("/v1/packages/Not_A_Name")).status).toBe(400);
    });

    it("renders a dry run with the user's options kept apart from the resolved ones", async () => {
      const h = await make();
      const { pkg } = await threeVersions(h);
      const res = await h.json<{
        package: { version: string };
        plan: { apps: { id: string; cpus: number; mem: number; labels: Record<string, string> }[] };
        options: { user: object; resolved: { service: Record<string, unknown> } };
      }>(
        `/v1/packages/${pkg}/render`,
        post({ version: "1.0.0", options: { service: { cpus: 0.5 } }, appId: "/team/clock" }),
      );
      expect(res.package.version).toBe("1.0.0");
      expect(res.plan.apps[0]).toMatchObject({ id: "/team/clock", cpus: 0.5, mem: 256 });
      expect(res.plan.apps[0]?.labels).toMatchObject({
        DCOS_PACKAGE_NAME: pkg,
        DCOS_PACKAGE_VERSION: "1.0.0",
      });
      expect(res.options.user).toEqual({ service: { cpus: 0.5 } });
      expect(res.options.resolved.service).toEqual({ name: pkg, cpus: 0.5, mem: 256 });
    });

    it("answers options that fail the schema with 400 listing every failing field, and writes nothing", async () => {
      const h = await make();
      const { pkg, repo } = await threeVersions(h);
      const before = await h.json(`/v1/repositories/${repo}`);
      const res = await h.request(
        `/v1/packages/${pkg}/render`,
        post({ options: { service: { cpus: 0.01, mem: 64, name: 7 } } }),
      );
      expect(res.status).toBe(400);
      const problem = (await res.json()) as {
        reason: string;
        details: { errors: { pointer: string; rule: string; value: unknown }[] };
      };
      expect(problem.reason).toBe("OPTIONS_INVALID");
      const byPointer = Object.fromEntries(problem.details.errors.map((e) => [e.pointer, e]));
      expect(Object.keys(byPointer).sort()).toEqual(["/service/cpus", "/service/mem", "/service/name"]);
      expect(byPointer["/service/cpus"]).toMatchObject({ rule: "minimum", value: 0.01 });
      expect(byPointer["/service/mem"]).toMatchObject({ rule: "minimum", value: 64 });
      expect(byPointer["/service/name"]).toMatchObject({ rule: "type", value: 7 });
      expect(await h.json(`/v1/repositories/${repo}`)).toEqual(before);

      const unknownField = await h.request(`/v1/packages/${pkg}/render`, post({ options: {}, color: "red" }));
      expect(unknownField.status).toBe(400);
      const notObject = await h.request(`/v1/packages/${pkg}/render`, post({ options: [1] }));
      expect(notObject.status).toBe(400);
    });
  });
}

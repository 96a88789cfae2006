/**
 * Adding repositories: from an uploaded index or tree, refusing URLs by default, duplicate
 * names, bad uploads, oversized revisions and abandoned imports. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { repositories } from "../../../gateway/db/schema.js";
import { packBundle } from "../../../universe/bundle/index.js";
import { post, unique } from "../harness.js";
import {
  addIndex,
  GZIP,
  type ImportReport,
  indexEntry,
  listRepositories as list,
  treeFiles,
  upload,
  versionsOf,
  word,
} from "./catalog-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

export function catalogRepositoriesSuite(make: MakeHarness): void {
  describe("catalog: repositories", () => {
    it("imports the good revisions of an uploaded index and reports the broken one by path and reason", async () => {
      const h = await make();
      const pkg = word("ts");
      const repo = unique("universe");
      const report = await addIndex(h, repo, [
        indexEntry({ name: pkg, version: "1.0.0" }, 0),
        indexEntry({ name: pkg, version: "1.1.0" }, 1),
        { packagingVersion: "4.0", name: "broken-pkg", version: "1.0", releaseVersion: 0 },
      ]);
      expect(report.imported).toBe(2);
      expect(report.failed).toHaveLength(1);
      expect(report.failed[0]?.path).toBe("packages[2] (broken-pkg@1.0)");
      expect(report.failed[0]?.reason).toMatch(/maintainer|description/);
      expect(report.repository).toMatchObject({
        name: repo,
        kind: "universe-index",
        uri: null,
        revisions: 2,
      });

      const versions = await versionsOf(h, pkg);
      expect(versions.versions.map((v) => [v.version, v.releaseVersion, v.repository.name])).toEqual([
        ["1.1.0", 1, repo],
        ["1.0.0", 0, repo],
      ]);
      expect((await list(h)).find((r) => r.name === repo)).toMatchObject({ revisions: 2 });
    });

    it("imports an index larger than one write batch completely, and searches it", async () => {
      const h = await make();
      const w = word("many");
      const entries = Array.from({ length: 130 }, (_, i) =>
        indexEntry({ name: `${w}-${i % 10}`, version: `1.${i}.0` }, i),
      );
      const report = await addIndex(h, unique("many"), entries);
      expect(report).toMatchObject({ imported: 130, failed: [] });
      expect((await h.json<{ total: number }>(`/v1/packages?q=${w}`)).total).toBe(10);
      expect((await versionsOf(h, `${w}-3`)).versions).toHaveLength(13);
    });

    it("loads a catalog larger than one read page whole, in repository priority order", async () => {
      const h = await make();
      const w = word("paged");
      // The catalog is read back in pages of 500 revisions: 620 here, across two repositories.
      await addIndex(h, unique("first"), [indexEntry({ name: `${w}-both`, version: "1.0.0" }, 0)]);
      const filler = Array.from({ length: 619 }, (_, i) =>
        indexEntry({ name: i === 0 ? `${w}-both` : `${w}-${i % 40}`, version: `2.${i}.0` }, i),
      );
      expect(await addIndex(h, unique("second"), filler)).toMatchObject({ imported: 619, failed: [] });
      const page = await h.json<{ total: number; results: { name: string; currentVersion: string }[] }>(
        `/v1/packages?q=${w}-both`,
      );
      // Both repositories have the package; the first one listed wins, whatever the versions.
      expect(page.results[0]).toMatchObject({ name: `${w}-both`, currentVersion: "1.0.0" });
      expect((await h.json<{ total: number }>(`/v1/packages?q=${w}&limit=100`)).total).toBe(41);
      expect((await versionsOf(h, `${w}-7`)).versions).toHaveLength(16);
    });

    it("imports a Universe tree uploaded as a .tgz, with a bad revision folder reported", async () => {
      const h = await make();
      const a = word("tree");
      const files = treeFiles([
        { spec: { name: a, version: "0.1.0" }, rev: 0 },
        { spec: { name: a, version: "0.2.0" }, rev: 3 },
        { spec: { name: a, version: "0.3.0" }, rev: "latest" },
      ]);
      const { archive } = await packBundle(files);
      const repo = unique("tree");
      const report = await h.json<ImportReport>(`/v1/repositories?name=${repo}`, upload(archive, GZIP), 201);
      expect(report.repository.kind).toBe("universe-tree");
      expect(report.imported).toBe(2);
      expect(report.failed).toEqual([
        {
          path: `packages/${a[0]?.toUpperCase()}/${a}/latest`,
          reason: expect.stringMatching(/whole number/),
        },
      ]);
      const versions = await versionsOf(h, a);
      expect(versions.versions.map((v) => [v.version, v.releaseVersion])).toEqual([
        ["0.2.0", 3],
        ["0.1.0", 0],
      ]);
    });

    it("accepts the Universe media type v3–v5 and refuses other index versions with 415", async () => {
      const h = await make();
      const pkg = word("mt");
      const body = JSON.stringify({ packages: [indexEntry({ name: pkg }, 0)] });
      const v5 = "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v5";
      await h.json(`/v1/repositories?name=${unique("v5")}`, upload(body, v5), 201);
      const v2 = await h.request(
        `/v1/repositories?name=${unique("v2")}`,
        upload(body, "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v2"),
      );
      expect(v2.status).toBe(415);
      const text = await h.request(`/v1/repositories?name=${unique("txt")}`, upload(body, "text/plain"));
      expect(text.status).toBe(415);
    });

    it("refuses a duplicate name with 409 and leaves the first repository as it was", async () => {
      const h = await make();
      const repo = unique("dup");
      const first = word("dup");
      await addIndex(h, repo, [indexEntry({ name: first }, 0)]);
      const res = await h.request(
        `/v1/repositories?name=${repo}`,
        post({ packages: [indexEntry({ name: word() }, 0)] }),
      );
      expect(res.status).toBe(409);
      expect(await res.json()).toMatchObject({ code: "CONFLICT", reason: "REPOSITORY_EXISTS" });
      const mine = (await list(h)).filter((r) => r.name === repo);
      expect(mine).toHaveLength(1);
      expect(mine[0]?.revisions).toBe(1);
      const reserved = await h.request("/v1/repositories?name=local", post({ packages: [] }));
      expect(reserved.status).toBe(409);
    });

    it("refuses to add by URL unless the gateway is configured to fetch, and fetches nothing", async () => {
      const h = await make();
      const repo = unique("remote");
      const res = await h.request(
        "/v1/repositories",
        post({ name: repo, url: "https://universe.example/repo.json" }),
      );
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { reason: string; detail: string };
      expect(problem.reason).toBe("REPOSITORY_URLS_DISABLED");
      expect(problem.detail).toMatch(/FLOTILLA_ALLOW_REPOSITORY_URLS=true/);
      expect((await list(h)).map((r) => r.name)).not.toContain(repo);
      const bad = await h.request("/v1/repositories", post({ name: repo, url: "ftp://x/y", extra: 1 }));
      expect(bad.status).toBe(400);
    });

    it("refuses bad uploads with 400 and writes nothing: malformed JSON, all revisions broken, no name", async () => {
      const h = await make();
      const repo = unique("bad");
      const malformed = await h.request(
        `/v1/repositories?name=${repo}`,
        upload("{not json", "application/json"),
      );
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ reason: "INVALID_JSON" });
      // Bytes that are not UTF-8 (a lone continuation byte inside a string).
      const notUtf8 = await h.request(
        `/v1/repositories?name=${repo}`,
        upload(new Uint8Array([0x7b, 0x22, 0x61, 0x80, 0x22, 0x3a, 0x31, 0x7d]), "application/json"),
      );
      expect(notUtf8.status).toBe(400);
      expect(await notUtf8.json()).toMatchObject({
        reason: "INVALID_JSON",
        detail: expect.stringMatching(/UTF-8/),
      });
      const allBroken = await h.request(`/v1/repositories?name=${repo}`, post({ packages: [{ name: "x" }] }));
      expect(allBroken.status).toBe(400);
      expect(await allBroken.json()).toMatchObject({ reason: "IMPORT_FAILED" });
      const notGzip = await h.request(`/v1/repositories?name=${repo}`, upload("plain text", GZIP));
      expect(notGzip.status).toBe(400);
      const noName = await h.request("/v1/repositories", post({ packages: [] }));
      expect(noName.status).toBe(400);
      expect((await list(h)).map((r) => r.name)).not.toContain(repo);
      // The name is still free: nothing half-made holds it.
      await addIndex(h, repo, [indexEntry({ name: word() }, 0)]);
    });

    it("stores the revisions that fit, reports one too large for a row, and discards an import that stored nothing", async () => {
      const h = await make();
      const [small, huge] = [word("fits"), word("huge")];
      const big = indexEntry({ name: huge, description: "x".repeat(1_900_000) }, 0);
      const repo = unique("sizes");
      const report = await addIndex(h, repo, [indexEntry({ name: small }, 0), big]);
      expect(report.imported).toBe(1);
      expect(report.failed).toEqual([
        { path: `${huge}/0`, reason: expect.stringMatching(/too large|more than/) },
      ]);

      const onlyHuge = unique("huge");
      const res = await h.request(`/v1/repositories?name=${onlyHuge}`, post({ packages: [big] }));
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ reason: "IMPORT_FAILED" });
      expect((await list(h)).map((r) => r.name)).not.toContain(onlyHuge);
      await addIndex(h, onlyHuge, [indexEntry({ name: word() }, 0)]); // the staged name was released
    });

    it("holds a name while its import is under way and frees it once the import is abandoned", async () => {
      const h = await make();
      const repo = unique("stuck");
      // What a process that died mid-import leaves behind: a staging row (negative priority).
      await h.db?.insert(repositories).values({
        id: unique("rp"),
        name: repo,
        kind: "universe-index",
        priority: -1,
        createdAt: h.clock.now(),
      });
      expect((await list(h)).map((r) => r.name)).not.toContain(repo);
      const busy = await h.request(
        `/v1/repositories?name=${repo}`,
        post({ packages: [indexEntry({ name: word() }, 0)] }),
      );
      expect(busy.status).toBe(409);
      expect(await busy.json()).toMatchObject({ reason: "REPOSITORY_IMPORT_IN_PROGRESS" });
      h.clock.advance(16 * 60_000);
      const report = await addIndex(h, repo, [indexEntry({ name: word() }, 0)]);
      expect(report.repository.revisions).toBe(1);
    });
  });
}

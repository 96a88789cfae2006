/**
 * Repositories once they exist: priority order and moves, delete, refresh, and the routes'
 * place in the OpenAPI document. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { packBundle } from "../../../universe/bundle/index.js";
import { unique } from "../harness.js";
import {
  addIndex,
  GZIP,
  type ImportReport,
  indexEntry,
  listRepositories as list,
  type RepositoryRow,
  treeFiles,
  upload,
  versionsOf,
  word,
} from "./catalog-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

export function catalogRepositoryOrderSuite(make: MakeHarness): void {
  describe("catalog: repository order, refresh and delete", () => {
    it("documents the catalog routes in the OpenAPI document", async () => {
      const h = await make();
      const doc = await h.json<{ paths: Record<string, Record<string, unknown>> }>("/openapi.json", {
        token: null,
      });
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          "/v1/repositories",
          "/v1/repositories/{repo}",
          "/v1/repositories/{repo}/refresh",
          "/v1/packages",
          "/v1/packages/{name}",
          "/v1/packages/{name}/versions",
          "/v1/packages/{name}/render",
          "/v1/bundles/{digest}",
        ]),
      );
      expect(Object.keys(doc.paths["/v1/packages"] ?? {}).sort()).toEqual(["get", "post"]);
    });

    it("lists in priority order, inserts at an index, and moves a repository", async () => {
      const h = await make();
      const [a, b, c] = [unique("pa"), unique("pb"), unique("pc")];
      await addIndex(h, a, [indexEntry({ name: word() }, 0)]);
      await addIndex(h, b, [indexEntry({ name: word() }, 0)]);
      await addIndex(h, c, [indexEntry({ name: word() }, 0)], "&index=0");
      let repos = await list(h);
      expect(repos.map((r) => r.index)).toEqual(repos.map((_, i) => i));
      const order = () => repos.map((r) => r.name).filter((n) => [a, b, c].includes(n));
      expect(repos[0]?.name).toBe(c);
      expect(order()).toEqual([c, a, b]);

      repos = (
        await h.json<{ repositories: RepositoryRow[] }>(`/v1/repositories/${b}`, {
          method: "PATCH",
          body: JSON.stringify({ index: 0 }),
        })
      ).repositories;
      expect(order()).toEqual([b, c, a]);
      expect(repos[0]?.name).toBe(b);
      repos = (
        await h.json<{ repositories: RepositoryRow[] }>(`/v1/repositories/${b}`, {
          method: "PATCH",
          body: JSON.stringify({ index: 9999 }),
        })
      ).repositories;
      expect(repos.at(-1)?.name).toBe(b);
      expect(await list(h)).toEqual(repos);
      expect(
        (
          await h.request(`/v1/repositories/${unique("nope")}`, {
            method: "PATCH",
            body: JSON.stringify({ index: 0 }),
          })
        ).status,
      ).toBe(404);
    });

    it("deletes a repository with its revisions", async () => {
      const h = await make();
      const repo = unique("gone");
      const pkg = word("gone");
      const { repository } = await addIndex(h, repo, [indexEntry({ name: pkg }, 0)]);
      expect((await h.request(`/v1/repositories/${repository.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await h.request(`/v1/repositories/${repo}`)).status).toBe(404);
      expect((await h.request(`/v1/packages/${pkg}/versions`)).status).toBe(404);
      const search = await h.json<{ total: number }>(`/v1/packages?q=${pkg}`);
      expect(search.total).toBe(0);
      const repos = await list(h);
      expect(repos.map((r) => r.index)).toEqual(repos.map((_, i) => i));
    });

    it("refreshes an uploaded repository from a new upload, replacing its revisions in one step", async () => {
      const h = await make();
      const repo = unique("fresh");
      const pkg = word("fresh");
      const before = await addIndex(h, repo, [indexEntry({ name: pkg, version: "1.0.0" }, 0)]);
      const noBody = await h.request(`/v1/repositories/${repo}/refresh`, { method: "POST" });
      expect(noBody.status).toBe(400);
      expect(await noBody.json()).toMatchObject({ reason: "REFRESH_NEEDS_UPLOAD" });

      const { archive } = await packBundle(
        treeFiles([
          { spec: { name: pkg, version: "2.0.0" }, rev: 1 },
          { spec: { name: pkg, version: "3.0.0" }, rev: 2 },
        ]),
      );
      const after = await h.json<ImportReport>(`/v1/repositories/${repo}/refresh`, upload(archive, GZIP));
      expect(after.repository).toMatchObject({
        id: before.repository.id,
        name: repo,
        kind: "universe-tree",
        revisions: 2,
      });
      expect((await versionsOf(h, pkg)).versions.map((v) => v.version)).toEqual(["3.0.0", "2.0.0"]);
      expect(await h.json(`/v1/repositories/${repo}`)).toMatchObject({
        id: before.repository.id,
        revisions: 2,
      });

      const broken = await h.request(`/v1/repositories/${repo}/refresh`, upload("{", "application/json"));
      expect(broken.status).toBe(400);
      expect((await versionsOf(h, pkg)).versions).toHaveLength(2);
    });
  });
}

/**
 * Who may do what in the catalog: anonymous callers get 401 everywhere; viewers read, search
 * and render but cannot publish or change repositories; operators publish but cannot manage
 * repositories; a token limited to one cluster still reads the whole catalog. Every refusal
 * writes nothing. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { packBundle } from "../../../universe/bundle/index.js";
import { type Harness, post, unique } from "../harness.js";
import {
  addIndex,
  GZIP,
  indexEntry,
  timeServerFiles,
  tokenOf,
  upload,
  word,
} from "./catalog-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

/** A repository with one package, and a published bundle. */
async function catalog(h: Harness) {
  const repo = unique("authz");
  const pkg = word("authz");
  await addIndex(h, repo, [indexEntry({ name: pkg }, 0)]);
  const bundle = await packBundle(timeServerFiles({ name: word("authb"), packagingVersion: "flotilla/1" }));
  await h.json("/v1/packages", upload(bundle.archive, GZIP), 201);
  return { repo, pkg, digest: bundle.digest };
}

const reads = (pkg: string, repo: string, digest: string) => [
  "/v1/repositories",
  `/v1/repositories/${repo}`,
  `/v1/packages?q=${pkg}`,
  `/v1/packages/${pkg}/versions`,
  `/v1/packages/${pkg}`,
  `/v1/bundles/${digest}`,
];

export function catalogAuthSuite(make: MakeHarness): void {
  describe("catalog: authorisation", () => {
    it("answers 401 without a token on every catalog route", async () => {
      const h = await make();
      const { repo, pkg, digest } = await catalog(h);
      for (const path of reads(pkg, repo, digest)) {
        expect((await h.request(path, { token: null })).status, path).toBe(401);
      }
      const bundle = await packBundle(
        timeServerFiles({ name: word("anon"), packagingVersion: "flotilla/1" }),
      );
      expect((await h.request("/v1/packages", upload(bundle.archive, GZIP, null))).status).toBe(401);
      expect((await h.request(`/v1/packages/${pkg}/render`, post({}, null))).status).toBe(401);
      expect(
        (await h.request(`/v1/repositories?name=${unique("anon")}`, post({ packages: [] }, null))).status,
      ).toBe(401);
      expect((await h.request(`/v1/repositories/${repo}`, { method: "DELETE", token: null })).status).toBe(
        401,
      );
    });

    it("lets a viewer read and render but not publish or change repositories (403, nothing written)", async () => {
      const h = await make();
      const { repo, pkg, digest } = await catalog(h);
      const viewer = await tokenOf(h, "viewer");
      for (const path of reads(pkg, repo, digest)) {
        expect((await h.request(path, { token: viewer })).status, path).toBe(200);
      }
      expect((await h.request(`/v1/packages/${pkg}/render`, post({}, viewer))).status).toBe(200);

      const name = word("vpub");
      const bundle = await packBundle(timeServerFiles({ name, packagingVersion: "flotilla/1" }));
      expect((await h.request("/v1/packages", upload(bundle.archive, GZIP, viewer))).status).toBe(403);
      const added = unique("vadd");
      const add = await h.request(`/v1/repositories?name=${added}`, {
        ...post({ packages: [indexEntry({ name: word() }, 0)] }, viewer),
      });
      expect(add.status).toBe(403);
      const patch = { method: "PATCH", body: JSON.stringify({ index: 0 }), token: viewer };
      expect((await h.request(`/v1/repositories/${repo}`, patch)).status).toBe(403);
      expect(
        (await h.request(`/v1/repositories/${repo}/refresh`, { method: "POST", token: viewer })).status,
      ).toBe(403);
      expect((await h.request(`/v1/repositories/${repo}`, { method: "DELETE", token: viewer })).status).toBe(
        403,
      );

      expect((await h.request(`/v1/packages/${name}/versions`)).status).toBe(404);
      expect((await h.request(`/v1/repositories/${added}`)).status).toBe(404);
      expect((await h.request(`/v1/repositories/${repo}`)).status).toBe(200);
    });

    it("lets an operator publish but not add or delete repositories", async () => {
      const h = await make();
      const operator = await tokenOf(h, "operator");
      const name = word("opub");
      const bundle = await packBundle(timeServerFiles({ name, packagingVersion: "flotilla/1" }));
      expect((await h.request("/v1/packages", upload(bundle.archive, GZIP, operator))).status).toBe(201);
      const added = unique("oadd");
      const add = await h.request(`/v1/repositories?name=${added}`, post({ packages: [] }, operator));
      expect(add.status).toBe(403);
      expect((await h.request("/v1/repositories/local", { method: "DELETE", token: operator })).status).toBe(
        403,
      );
      expect((await h.request(`/v1/repositories/${added}`)).status).toBe(404);
    });

    it("lets a token limited to one cluster read the whole catalog", async () => {
      const h = await make();
      const { repo, pkg, digest } = await catalog(h);
      const cluster = await h.json<{ id: string }>("/v1/clusters", post({ name: unique("only") }), 201);
      const limited = await tokenOf(h, "viewer", [cluster.id]);
      for (const path of reads(pkg, repo, digest)) {
        expect((await h.request(path, { token: limited })).status, path).toBe(200);
      }
      expect((await h.request(`/v1/packages/${pkg}/render`, post({}, limited))).status).toBe(200);
    });
  });
}

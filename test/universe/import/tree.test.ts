import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { nodeFileTree } from "../../../cli/node-tree.js";
import { importUniverseTree, memoryTree } from "../../../universe/import/index.js";
import {
  copySample,
  SAMPLE_PACKAGES,
  SAMPLE_REPO,
  SAMPLE_REVISIONS,
  SAMPLE_ROOT,
} from "../../helpers/sample.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});
const pkgDir = (root: string, letter: string, name: string, rev: string) =>
  join(root, "repo", "packages", letter, name, rev);

describe("importing a Universe repository tree", () => {
  it("imports every revision of the real sample without failures", async () => {
    const result = await importUniverseTree(nodeFileTree(SAMPLE_REPO));
    expect(result.failures).toEqual([]);
    expect(result.packages).toHaveLength(SAMPLE_REVISIONS);
    expect(new Set(result.packages.map((p) => p.metadata.name)).size).toBe(SAMPLE_PACKAGES);
  });

  it("finds packages/ under repo/ when given the folder above it", async () => {
    const result = await importUniverseTree(nodeFileTree(SAMPLE_ROOT));
    expect(result.packages).toHaveLength(SAMPLE_REVISIONS);
  });

  it("takes releaseVersion from the revision folder and keeps sparse revisions and repeated versions", async () => {
    const { packages } = await importUniverseTree(nodeFileTree(SAMPLE_REPO));
    const hello = packages.filter((p) => p.metadata.name === "hello-world").map((p) => p.releaseVersion);
    expect(hello.sort((a, b) => a - b)).toEqual([0, 1, 16, 100, 700]);
    const v100 = packages.filter((p) => p.metadata.name === "hello-world" && p.metadata.version === "1.0.0");
    expect(v100.map((p) => p.releaseVersion).sort()).toEqual([0, 1]);
  });

  it("reads each packaging version's fields: 4.0 upgrade lists, 5.0 manager, 2.0 command", async () => {
    const { packages } = await importUniverseTree(nodeFileTree(SAMPLE_REPO));
    const by = (name: string, rel: number) =>
      packages.find((p) => p.metadata.name === name && p.releaseVersion === rel);
    expect(by("hello-world", 700)?.metadata.upgradesFrom).toEqual(["*"]);
    expect(by("kubernetes-cluster", 0)?.metadata.manager?.packageName).toBe("kubernetes");
    expect(by("nginx", 6)?.metadata.packagingVersion).toBe("2.0");
    expect(by("time-server", 0)?.templates.marathon).toContain("{{service.name}}");
    expect(by("time-server", 0)?.resource?.assets?.container?.docker?.timeserverimage).toBe(
      "docker-user-name/time-server:part1",
    );
  });

  it("reports each bad revision with its path and reason and still imports the rest", async () => {
    const { dir, cleanup } = await copySample();
    cleanups.push(cleanup);
    await writeFile(join(pkgDir(dir, "H", "httpbin", "0"), "package.json"), "{ not json");
    await mkdir(pkgDir(dir, "T", "time-server", "latest"));
    const ts1 = pkgDir(dir, "T", "time-server", "1");
    await mkdir(ts1);
    await writeFile(
      join(ts1, "package.json"),
      JSON.stringify({
        packagingVersion: "4.0",
        name: "other-name",
        version: "1",
        maintainer: "m",
        description: "d",
        tags: [],
      }),
    );
    await writeFile(
      join(pkgDir(dir, "H", "hello-world", "700"), "command.json"),
      JSON.stringify({ pip: [] }),
    );
    await rm(join(pkgDir(dir, "N", "nginx", "6"), "marathon.json.mustache"));

    const result = await importUniverseTree(nodeFileTree(dir));
    const reasons = Object.fromEntries(
      result.failures.map((f) => [f.path.replace(/^.*packages\//, ""), f.reason]),
    );
    expect(Object.keys(reasons).sort()).toEqual([
      "H/hello-world/700",
      "H/httpbin/0",
      "N/nginx/6",
      "T/time-server/1",
      "T/time-server/latest",
    ]);
    expect(reasons["H/httpbin/0"]).toMatch(/package\.json is not valid JSON/);
    expect(reasons["T/time-server/latest"]).toMatch(/whole number/);
    expect(reasons["T/time-server/1"]).toMatch(/does not match its folder/);
    expect(reasons["H/hello-world/700"]).toMatch(/command\.json is not allowed with packagingVersion 4\.0/);
    expect(reasons["N/nginx/6"]).toMatch(/marathon\.json\.mustache is required/);
    expect(result.packages).toHaveLength(SAMPLE_REVISIONS - 3);
  });

  it("refuses a package.json that breaks the format, naming each field", async () => {
    const files = new Map([
      [
        "repo/packages/B/bad/0/package.json",
        new TextEncoder().encode(
          JSON.stringify({ packagingVersion: "9.0", name: "Bad_Name", version: "", tags: [] }),
        ),
      ],
    ]);
    const result = await importUniverseTree(memoryTree(files));
    expect(result.failures).toHaveLength(1);
    const reason = result.failures[0]?.reason ?? "";
    expect(reason).toMatch(/\/packagingVersion/);
    expect(reason).toMatch(/\/maintainer/);
    expect(reason).toMatch(/\/version: version must not be empty/);
  });

  it("says clearly when the folder is not a Universe repository", async () => {
    await expect(importUniverseTree(memoryTree(new Map()))).rejects.toThrow(
      /expected a packages\/ or repo\/packages\//,
    );
  });
});

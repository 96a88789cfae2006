import { describe, expect, it } from "vitest";
import { nodeFileTree } from "../../../cli/node-tree.js";
import {
  fromIndexEntry,
  importUniverseIndex,
  importUniverseTree,
  toIndexEntry,
} from "../../../universe/import/index.js";
import { SAMPLE_REPO, SAMPLE_REVISIONS } from "../../helpers/sample.js";

describe("importing a built Universe JSON index", () => {
  it("round-trips every sample revision through the index form unchanged", async () => {
    const tree = await importUniverseTree(nodeFileTree(SAMPLE_REPO));
    const index = JSON.parse(JSON.stringify({ packages: tree.packages.map(toIndexEntry) }));
    const result = importUniverseIndex(index);
    expect(result.failures).toEqual([]);
    expect(result.packages).toHaveLength(SAMPLE_REVISIONS);
    for (const def of tree.packages) {
      const back = result.packages.find(
        (p) => p.metadata.name === def.metadata.name && p.releaseVersion === def.releaseVersion,
      );
      expect({ ...back, warnings: [] }).toEqual({ ...def, warnings: [] });
    }
  });

  it("stores templates base64-encoded under marathon.v2AppMustacheTemplate, as Universe servers did", async () => {
    const tree = await importUniverseTree(nodeFileTree(SAMPLE_REPO));
    const ts = tree.packages.find((p) => p.metadata.name === "time-server");
    const entry = toIndexEntry(ts!) as {
      marathon: { v2AppMustacheTemplate: string };
      releaseVersion: number;
    };
    expect(atob(entry.marathon.v2AppMustacheTemplate)).toBe(ts!.templates.marathon);
    expect(entry.releaseVersion).toBe(0);
  });

  it("decodes non-ASCII templates as UTF-8", () => {
    const template = '{"id":"café","cmd":"echo ✓"}';
    const bytes = new TextEncoder().encode(template);
    const b64 = btoa(String.fromCharCode(...bytes));
    const def = fromIndexEntry(
      {
        packagingVersion: "3.0",
        name: "cafe",
        version: "1.0",
        maintainer: "m",
        description: "d",
        tags: [],
        releaseVersion: 3,
        marathon: { v2AppMustacheTemplate: b64 },
      },
      "packages[0]",
    );
    expect(def.templates.marathon).toBe(template);
    expect(def.releaseVersion).toBe(3);
  });

  it("reports bad entries by position and name and keeps the good ones", () => {
    const good = {
      packagingVersion: "4.0",
      name: "good",
      version: "1.0.0",
      maintainer: "m",
      description: "d",
      tags: ["a"],
      releaseVersion: 0,
    };
    const result = importUniverseIndex({
      packages: [
        good,
        { ...good, name: "no-release", releaseVersion: undefined },
        { ...good, name: "bad-b64", marathon: { v2AppMustacheTemplate: "%%%" } },
        { ...good },
        "not an object",
        { ...good, name: "bad-config", releaseVersion: 1, config: [1, 2] },
      ],
    });
    expect(result.packages.map((p) => p.metadata.name)).toEqual(["good"]);
    expect(result.failures.map((f) => f.path)).toEqual([
      "packages[1] (no-release@1.0.0)",
      "packages[2] (bad-b64@1.0.0)",
      "packages[3] (good@1.0.0)",
      "packages[4]",
      "packages[5] (bad-config@1.0.0)",
    ]);
    expect(result.failures[0]?.reason).toMatch(/releaseVersion is missing/);
    expect(result.failures[1]?.reason).toMatch(/not valid base64/);
    expect(result.failures[2]?.reason).toMatch(/appears twice/);
    expect(result.failures[3]?.reason).toMatch(/must be a JSON object/);
    expect(result.failures[4]?.reason).toMatch(/config\.json/);
  });

  it("keeps odd real-world version strings exactly as written", () => {
    const versions = ["3.1.x", "v0.4.0-beta", "1.12-patch.0", "0.3.16.4", "6.0.0rc1", "2.0"];
    const result = importUniverseIndex({
      packages: versions.map((version, i) => ({
        packagingVersion: "3.0",
        name: "odd",
        version,
        maintainer: "m",
        description: "d",
        tags: [],
        releaseVersion: i,
      })),
    });
    expect(result.failures).toEqual([]);
    expect(result.packages.map((p) => p.metadata.version)).toEqual(versions);
  });

  it("refuses a document that is not an index", () => {
    expect(() => importUniverseIndex({ apps: [] })).toThrow(/not a Universe index/);
  });
});

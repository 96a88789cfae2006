// Runs inside workerd (the "workers" vitest project): proves the portable universe library
// imports, renders and unpacks with the Workers runtime's APIs alone.
import { describe, expect, it } from "vitest";
import { packBundle, unpackBundle } from "../../universe/bundle/index.js";
import { importUniverseIndex, readBundle, toIndexEntry } from "../../universe/import/index.js";
import { parseRevisionFiles } from "../../universe/import/revision.js";
import { validateOptions } from "../../universe/options/index.js";
import { renderInstallPlan } from "../../universe/render/index.js";
import config from "../fixtures/universe-sample/repo/packages/T/time-server/0/config.json?raw";
import marathon from "../fixtures/universe-sample/repo/packages/T/time-server/0/marathon.json.mustache?raw";
import pkg from "../fixtures/universe-sample/repo/packages/T/time-server/0/package.json?raw";
import resource from "../fixtures/universe-sample/repo/packages/T/time-server/0/resource.json?raw";

const files = {
  "package.json": pkg,
  "config.json": config,
  "marathon.json.mustache": marathon,
  "resource.json": resource,
};

describe("the universe library inside workerd", () => {
  it("runs in the Workers runtime, not Node", () => {
    expect((globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent).toBe(
      "Cloudflare-Workers",
    );
  });

  it("imports the time-server revision and renders it as the Cosmos example says", () => {
    const def = parseRevisionFiles(new Map(Object.entries(files)), { releaseVersion: 0 });
    const { packages, failures } = importUniverseIndex({ packages: [toIndexEntry(def)] });
    expect(failures).toEqual([]);
    const { plan } = renderInstallPlan(packages[0]!, {});
    const app = plan.apps[0]!;
    expect(app.id).toBe("time-server");
    expect(app.cpus).toBe(0.1);
    expect(app.mem).toBe(256);
    expect(app.container?.docker?.image).toBe("docker-user-name/time-server:part1");
    expect(app.labels).toMatchObject({
      DCOS_SERVICE_NAME: "time-server",
      DCOS_PACKAGE_NAME: "time-server",
      DCOS_PACKAGE_VERSION: "1.0.0",
      DCOS_PACKAGE_OPTIONS: "e30=",
    });
  });

  it("validates options against config.json without generating code", () => {
    const errors = validateOptions(JSON.parse(config), { service: { cpus: 0.01 } });
    expect(errors.map((e) => e.pointer)).toEqual(["/service/cpus"]);
  });

  it("packs and unpacks a bundle with CompressionStream and reads it back as a package", async () => {
    const { archive, digest } = await packBundle(files);
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const unpacked = await unpackBundle(archive);
    expect(unpacked.digest).toBe(digest);
    expect(new TextDecoder().decode(unpacked.files.get("package.json"))).toBe(pkg);
    const { definition } = await readBundle(archive);
    expect(definition.metadata.name).toBe("time-server");
  });

  it("refuses a path-traversal entry inside workerd too", async () => {
    await expect(packBundle({ "../evil": "x" })).rejects.toThrow(/\.\./);
  });
});

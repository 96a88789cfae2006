import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeFileTree } from "../../cli/node-tree.js";
import { packBundle } from "../../universe/bundle/index.js";
import { importUniverseTree, toIndexEntry } from "../../universe/import/index.js";
import { cli } from "../helpers/cli.js";
import { REPO_ROOT, SAMPLE_PACKAGES, SAMPLE_REPO, SAMPLE_REVISIONS } from "../helpers/sample.js";

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "flotilla-lint-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const TIME_SERVER = join(SAMPLE_REPO, "packages/T/time-server/0");

describe("flotilla lint", () => {
  it("lints the whole sample repository clean and renders every revision with a template", async () => {
    const run = await cli("lint", SAMPLE_REPO, "--json");
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      kind: "tree",
      packages: SAMPLE_PACKAGES,
      revisions: SAMPLE_REVISIONS,
      rendered: SAMPLE_REVISIONS,
      failed: [],
    });
    expect(Array.isArray(report.warnings)).toBe(true);
  });

  it("prints a one-line human summary by default", async () => {
    const run = await cli("lint", SAMPLE_REPO);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `Universe repository .*: ${SAMPLE_PACKAGES} packages, ${SAMPLE_REVISIONS} revisions, ${SAMPLE_REVISIONS} rendered, 0 failed`,
      ),
    );
  });

  it("lints a built JSON index and reports a bad entry with exit code 1", async () => {
    const { packages } = await importUniverseTree(nodeFileTree(SAMPLE_REPO));
    const entries = packages.map(toIndexEntry);
    entries.push({
      ...entries[0],
      releaseVersion: 99,
      config: { properties: { n: { type: "integer", default: "x" } } },
    });
    const file = join(work, "index.json");
    await writeFile(file, JSON.stringify({ packages: entries }));
    const run = await cli("lint", file, "--json");
    const report = JSON.parse(run.stdout);
    expect(report.kind).toBe("index");
    expect(report.revisions).toBe(SAMPLE_REVISIONS + 1);
    expect(report.rendered).toBe(SAMPLE_REVISIONS);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0].path).toMatch(/release 99/);
    expect(report.failed[0].reason).toMatch(/\/n/);
    expect(run.code).toBe(1);
  });

  it("lints a bundle and a package folder", async () => {
    const files: Record<string, Uint8Array> = {};
    for (const name of ["package.json", "config.json", "marathon.json.mustache", "resource.json"]) {
      files[name] = new Uint8Array(await readFile(join(TIME_SERVER, name)));
    }
    const { archive } = await packBundle(files);
    const tgz = join(work, "time-server-1.0.0.tgz");
    await writeFile(tgz, archive);
    const bundleRun = await cli("lint", tgz, "--json");
    expect(JSON.parse(bundleRun.stdout)).toMatchObject({
      kind: "bundle",
      packages: 1,
      rendered: 1,
      failed: [],
    });
    const dirRun = await cli("lint", TIME_SERVER, "--json");
    expect(JSON.parse(dirRun.stdout)).toMatchObject({ kind: "dir", packages: 1, rendered: 1, failed: [] });
  });

  it("lints Marathon app, Marathon group and Metronome job files", async () => {
    const app = join(work, "app.json");
    await writeFile(app, JSON.stringify({ id: "/web", cmd: "serve", instances: 2, fetch: [] }));
    const appRun = await cli("lint", app, "--json");
    expect(JSON.parse(appRun.stdout)).toMatchObject({ kind: "app", rendered: 1, failed: [] });
    expect(JSON.parse(appRun.stdout).warnings[0]).toMatch(/fetch/);

    const group = join(work, "group.json");
    await writeFile(
      group,
      JSON.stringify({
        id: "/shop",
        apps: [
          { id: "web", cmd: "a" },
          { id: "api", cpus: -1 },
        ],
      }),
    );
    const groupRun = await cli("lint", group, "--json");
    const groupReport = JSON.parse(groupRun.stdout);
    expect(groupReport).toMatchObject({ kind: "app", rendered: 1 });
    expect(groupReport.failed[0].reason).toMatch(/\/shop\/api|\/cpus/);
    expect(groupRun.code).toBe(1);

    const job = join(work, "job.json");
    await writeFile(
      job,
      JSON.stringify({ id: "nightly", run: { cmd: "backup" }, schedules: [{ cron: "0 3 * * *" }] }),
    );
    expect(JSON.parse((await cli("lint", job, "--json")).stdout)).toMatchObject({
      kind: "job",
      rendered: 1,
      failed: [],
    });
    await writeFile(
      job,
      JSON.stringify({ id: "nightly", run: { cmd: "backup" }, schedules: [{ cron: "0 25 * * *" }] }),
    );
    const bad = await cli("lint", job);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAILED .*cron/);
  });

  it("honours --kind over detection", async () => {
    const job = join(work, "looks-like-app.json");
    await writeFile(job, JSON.stringify({ id: "x", run: { cmd: "true" } }));
    const run = await cli("lint", job, "--kind", "app", "--json");
    expect(JSON.parse(run.stdout).kind).toBe("app");
  });

  it("exits 2 with a clear message on bad usage", async () => {
    const missing = await cli("lint", join(work, "nope"));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file or directory/);

    const unknownKind = await cli("lint", SAMPLE_REPO, "--kind", "zip");
    expect(unknownKind.code).toBe(2);
    expect(unknownKind.stderr).toMatch(/Expected one of/);

    const noArg = await cli("lint");
    expect(noArg.code).toBe(2);

    const notAPackage = join(work, "empty-dir");
    await mkdir(notAPackage, { recursive: true });
    const neither = await cli("lint", notAPackage);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/neither a Universe repository/);

    const unknownCommand = await cli("frobnicate");
    expect(unknownCommand.code).toBe(2);
  });

  it("prints help with examples", async () => {
    const run = await cli("lint", "--help");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/flotilla lint \.\/universe/);
  });
});

describe("the built flotilla bin", () => {
  it("runs from dist/ as a user would call it", async () => {
    const bin = join(REPO_ROOT, "dist/cli/main.js");
    expect(existsSync(bin), "dist/cli/main.js is missing: run `npm run build` (npm test does it first)").toBe(
      true,
    );
    const { stdout } = await promisify(execFile)(process.execPath, [bin, "lint", SAMPLE_REPO, "--json"]);
    expect(JSON.parse(stdout)).toMatchObject({ kind: "tree", failed: [] });
  });
});

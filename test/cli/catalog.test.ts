/**
 * The catalog from the command line: repositories from a Universe tree folder and from a
 * built index, search / describe / versions / render as tables and as the API's JSON, and
 * bundles packed and published from a package folder.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nodeFileTree } from "../../cli/node-tree.js";
import { unpackBundle } from "../../universe/bundle/index.js";
import { importUniverseTree, toIndexEntry } from "../../universe/import/index.js";
import { SAMPLE_REPO, SAMPLE_REVISIONS } from "../helpers/sample.js";
import { ADMIN_TOKEN, cliIn, jsonOf, startTestGateway, type TestGateway, unique } from "./gateway.js";

let gw: TestGateway;
let run: ReturnType<typeof cliIn>;
beforeAll(async () => {
  gw = await startTestGateway();
  run = cliIn({ FLOTILLA_GATEWAY: gw.url, FLOTILLA_TOKEN: ADMIN_TOKEN });
  const added = await run("repo", "add", "sample", SAMPLE_REPO);
  if (added.code !== 0) throw new Error(added.stderr);
});
afterAll(async () => {
  await gw?.close();
});

/** A small Flotilla package folder written by the test. */
async function packageFolder(name: string, version: string, extra: Record<string, string> = {}) {
  const dir = join(gw.dir, unique(name));
  await mkdir(dir, { recursive: true });
  const files: Record<string, string> = {
    "package.json": JSON.stringify({
      packagingVersion: "flotilla/1",
      name,
      version,
      maintainer: "cli@example.test",
      description: `${name}, written by the CLI test`,
      tags: ["cli-test"],
    }),
    "config.json": JSON.stringify({
      type: "object",
      properties: {
        service: {
          type: "object",
          properties: {
            instances: { type: "integer", default: 1, minimum: 0, description: "How many" },
            message: { type: "string", default: "hello" },
          },
        },
      },
    }),
    "marathon.json.mustache": `{"id": "/${name}", "cmd": "echo {{service.message}}; sleep 3600", "instances": {{service.instances}}, "cpus": 0.1, "mem": 32}`,
    ...extra,
  };
  for (const [file, body] of Object.entries(files)) await writeFile(join(dir, file), body);
  return dir;
}

describe("flotilla repo", () => {
  it("adds the sample Universe tree folder (packed and uploaded) and lists it", async () => {
    const list = jsonOf<{ repositories: { name: string; kind: string; revisions: number }[] }>(
      await run("repo", "list", "--json"),
    );
    expect(list.repositories).toContainEqual(
      expect.objectContaining({ name: "sample", kind: "universe-tree", revisions: SAMPLE_REVISIONS }),
    );
    const table = await run("repo", "list");
    expect(table.stdout.split("\n")[0]).toMatch(/^INDEX\s+NAME\s+KIND\s+REVISIONS\s+IMPORTED\s+URL$/);
    expect(table.stdout).toMatch(/sample\s+universe-tree\s+9/);
  });

  it("adds a built JSON index, re-imports it, and removes it", async () => {
    const { packages } = await importUniverseTree(nodeFileTree(SAMPLE_REPO));
    const file = join(gw.dir, "index.json");
    await writeFile(file, JSON.stringify({ packages: packages.slice(0, 2).map(toIndexEntry) }));
    const name = unique("idx");
    const added = await run("repo", "add", name, file, "--index", "0");
    expect(added.code).toBe(0);
    expect(added.stdout).toMatch(
      new RegExp(`Added repository ${name} \\(universe-index, position 0\\): 2 revisions imported, 0 failed`),
    );

    await writeFile(file, JSON.stringify({ packages: packages.slice(0, 3).map(toIndexEntry) }));
    const again = jsonOf<{ imported: number }>(await run("repo", "import", name, file, "--json"));
    expect(again.imported).toBe(3);

    expect((await run("repo", "remove", name)).stdout).toContain(`Removed repository ${name}`);
    expect((await run("repo", "list")).stdout).not.toContain(name);
  });

  it("refuses what is neither a tree, an archive nor an index with exit 2, and --url on a gateway that does not fetch with exit 1", async () => {
    const junk = join(gw.dir, "junk.txt");
    await writeFile(junk, "not json");
    const bad = await run("repo", "add", unique("junk"), junk);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/neither a Universe tree folder, a \.tgz, nor a JSON index/);

    const both = await run("repo", "add", "x", junk, "--url", "https://example.com/repo.json");
    expect(both.code).toBe(2);

    const byUrl = await run("repo", "add", unique("remote"), "--url", "https://example.com/repo.json");
    expect(byUrl.code).toBe(1);
    expect(byUrl.stderr).toMatch(/FLOTILLA_ALLOW_REPOSITORY_URLS=true/);
  });
});

describe("flotilla repo add --url", () => {
  it("has a gateway that allows it fetch the index itself, and fetch it again on import", async () => {
    const { packages } = await importUniverseTree(nodeFileTree(SAMPLE_REPO));
    let served = 0;
    const index = createServer((_req, res) => {
      served++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ packages: packages.slice(0, served).map(toIndexEntry) }));
    });
    await new Promise<void>((resolve) => index.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(index.address() as { port: number }).port}/repo.json`;
    const fetching = await startTestGateway({ allowRepositoryUrls: true });
    try {
      const remote = cliIn({ FLOTILLA_GATEWAY: fetching.url, FLOTILLA_TOKEN: ADMIN_TOKEN });
      const added = await remote("repo", "add", "upstream", "--url", url);
      expect(added.stdout).toContain(
        "Added repository upstream (universe-index, position 0): 1 revisions imported",
      );
      const refreshed = await remote("repo", "import", "upstream");
      expect(refreshed.stdout).toContain(
        "Imported repository upstream (universe-index, position 0): 2 revisions imported",
      );
      expect((await remote("repo", "list")).stdout).toMatch(
        new RegExp(`upstream\\s+universe-index\\s+2\\s+\\S+ \\S+\\s+${url}`),
      );
    } finally {
      await fetching.close();
      await new Promise((resolve) => index.close(resolve));
    }
  });
});

describe("flotilla package search, describe, versions, render", () => {
  it("searches as an aligned table and as the API's JSON", async () => {
    const table = await run("package", "search", "hello");
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+VERSION\s+VERSIONS\s+TAGS\s+DESCRIPTION$/);
    expect(lines.some((l) => l.startsWith("hello-world "))).toBe(true);
    // Aligned: every row's VERSION column starts where the header's does.
    const at = (lines[0] as string).indexOf("VERSION");
    for (const line of lines.slice(1)) expect(line.slice(at - 2, at)).toBe("  ");

    const json = jsonOf<{ results: { name: string }[]; total: number }>(
      await run("package", "search", "hello", "--json"),
    );
    expect(json.results.map((r) => r.name)).toContain("hello-world");
    expect((await run("package", "search", "no-such-thing-at-all")).stdout).toMatch(/No package matches/);
  });

  it("describes a package with the options --set accepts", async () => {
    const d = await run("package", "describe", "hello-world");
    expect(d.code).toBe(0);
    expect(d.stdout).toMatch(/^Name: +hello-world$/m);
    expect(d.stdout).toMatch(/^Repository: +sample$/m);
    expect(d.stdout).toContain("Options (--set path=value):");
    const json = jsonOf<{ name: string; format: string; config: unknown }>(
      await run("package", "describe", "hello-world", "--json"),
    );
    expect(json).toMatchObject({ name: "hello-world", format: "universe" });

    const missing = await run("package", "describe", "no-such-package");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  });

  it("lists versions newest first and marks the latest", async () => {
    const v = jsonOf<{ latest: string; versions: { version: string }[] }>(
      await run("package", "versions", "hello-world", "--json"),
    );
    expect(v.versions.length).toBeGreaterThan(1);
    const table = await run("package", "versions", "hello-world");
    expect(table.stdout).toMatch(new RegExp(`^\\*\\s+${v.latest.replace(/[.]/g, "\\.")}\\s`, "m"));
  });

  it("renders a plan with --options and --set merged, and shows option errors", async () => {
    const dir = await packageFolder(unique("render"), "1.0.0");
    const name = JSON.parse(await readFile(join(dir, "package.json"), "utf8")).name as string;
    expect((await run("package", "publish", dir)).code).toBe(0);
    const options = join(gw.dir, unique("opts.json"));
    await writeFile(options, JSON.stringify({ service: { instances: 2, message: "from file" } }));

    const r = jsonOf<{ plan: { apps: { instances: number; cmd: string }[] }; options: { user: unknown } }>(
      await run(
        "package",
        "render",
        name,
        "--options",
        options,
        "--set",
        "service.message=from set",
        "--json",
      ),
    );
    expect(r.options.user).toEqual({ service: { instances: 2, message: "from set" } });
    expect(r.plan.apps[0]).toMatchObject({ instances: 2, cmd: "echo from set; sleep 3600" });

    const human = await run("package", "render", name, "--set", "service.instances=3");
    expect(human.stdout).toMatch(new RegExp(`^# ${name} 1\\.0\\.0`));
    expect(human.stdout).toContain('"instances": 3');

    const invalid = await run("package", "render", name, "--set", "service.instances=-1");
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/\/service\/instances/);
  });
});

describe("flotilla package pack and publish", () => {
  it("packs a folder into a deterministic bundle and publishes it, a repeat changing nothing", async () => {
    const name = unique("packed");
    const dir = await packageFolder(name, "1.2.0", { "README.md": "# packed\n" });
    const out = join(gw.dir, `${name}.tgz`);
    const packed = jsonOf<{ digest: string; file: string; files: string[] }>(
      await run("package", "pack", dir, "-o", out, "--json"),
    );
    expect(packed.file).toBe(out);
    expect(packed.files).toEqual(["README.md", "config.json", "marathon.json.mustache", "package.json"]);
    const { files } = await unpackBundle(new Uint8Array(await readFile(out)));
    expect([...files.keys()].sort()).toEqual(packed.files);
    // Same files, same digest.
    const again = jsonOf<{ digest: string }>(await run("package", "pack", dir, "-o", `${out}.2`, "--json"));
    expect(again.digest).toBe(packed.digest);

    const published = await run("package", "publish", out);
    expect(published.code).toBe(0);
    expect(published.stdout).toContain(`Published ${name} 1.2.0 (release 0) to repository local.`);
    expect(published.stdout).toContain(packed.digest);
    const repeat = jsonOf<{ created: boolean; digest: string }>(
      await run("package", "publish", dir, "--json"),
    );
    expect(repeat).toMatchObject({ created: false, digest: packed.digest });

    const v = jsonOf<{ versions: { version: string; digest: string }[] }>(
      await run("package", "versions", name, "--json"),
    );
    expect(v.versions).toEqual([expect.objectContaining({ version: "1.2.0", digest: packed.digest })]);
  });

  it("refuses a package that does not render with its defaults, before uploading", async () => {
    const dir = await packageFolder(unique("broken"), "1.0.0", {
      "marathon.json.mustache": '{"id": "/x", "cpus": ',
    });
    const packed = await run("package", "pack", dir);
    expect(packed.code).toBe(1);
    expect(packed.stderr).toMatch(/does not render|not a valid package/);
    const notAFolder = await run("package", "pack", join(gw.dir, "nope"));
    expect(notAFolder.code).toBe(2);
  });
});

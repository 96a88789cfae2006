// The bundle format's happy path: what packBundle writes, unpackBundle reads back byte for byte,
// and the same files always make the same archive.
import { createHash } from "node:crypto";
import fc from "fast-check";
import tar from "tar-stream";
import { describe, expect, it } from "vitest";
import { packBundle, sha256Hex, unpackBundle } from "../../../universe/bundle/index.js";
import { UniverseError } from "../../../universe/errors.js";
import { tgz } from "./archive.js";

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

const revision = {
  "package.json": JSON.stringify({ packagingVersion: "4.0", name: "hello", version: "1.0.0" }),
  "config.json": JSON.stringify({ type: "object", properties: {} }),
  "marathon.json.mustache": '{"id": "{{service.name}}"}',
  "README.md": "# hello\n",
  "assets/logo.bin": new Uint8Array([0, 1, 2, 255, 254]),
  "empty.txt": "",
};

/** Every header of a tar, in order, read with tar-stream. */
async function tarHeaders(archive: Uint8Array): Promise<tar.Header[]> {
  const stream = new Response(archive).body!.pipeThrough(new DecompressionStream("gzip"));
  const extract = tar.extract();
  const headers: tar.Header[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      headers.push(entry.header);
      entry.resume();
    }
  })();
  for await (const chunk of stream) extract.write(chunk);
  extract.end(undefined);
  await done;
  return headers;
}

describe("packBundle and unpackBundle", () => {
  it("unpack gives back exactly the files that were packed", async () => {
    const { archive } = await packBundle(revision);
    const { files } = await unpackBundle(archive);
    expect([...files.keys()].sort()).toEqual(Object.keys(revision).sort());
    expect(text(files.get("package.json"))).toBe(revision["package.json"]);
    expect(files.get("assets/logo.bin")).toEqual(new Uint8Array([0, 1, 2, 255, 254]));
    expect(files.get("empty.txt")).toEqual(new Uint8Array());
  });

  it("the same files give the same archive and digest, whatever order they were listed in", async () => {
    const first = await packBundle(revision);
    const reversed = Object.fromEntries(Object.entries(revision).reverse());
    const second = await packBundle(reversed);
    expect(second.digest).toBe(first.digest);
    expect(second.archive).toEqual(first.archive);
    const changed = await packBundle({ ...revision, "README.md": "# hello!\n" });
    expect(changed.digest).not.toBe(first.digest);
  });

  it("the digest is the sha256 of the archive bytes, on both sides", async () => {
    const { archive, digest } = await packBundle(revision);
    const expected = `sha256:${createHash("sha256").update(archive).digest("hex")}`;
    expect(digest).toBe(expected);
    expect(await sha256Hex(archive)).toBe(expected);
    expect((await unpackBundle(archive)).digest).toBe(expected);
  });

  it("writes entries sorted by name with a fixed time, mode and owner", async () => {
    const { archive } = await packBundle(revision);
    const headers = await tarHeaders(archive);
    expect(headers.map((h) => h.name)).toEqual(Object.keys(revision).sort());
    for (const header of headers) {
      expect(header).toMatchObject({ type: "file", mode: 0o644, uid: 0, gid: 0, uname: "", gname: "" });
      expect(header.mtime.getTime()).toBe(0);
    }
  });

  it("unpacks a stream to the same files and digest as the bytes", async () => {
    const { archive, digest } = await packBundle(revision);
    const chunks = [archive.subarray(0, 1), archive.subarray(1, 7), archive.subarray(7)];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = chunks.shift();
        if (chunk) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const unpacked = await unpackBundle(stream);
    expect(unpacked.digest).toBe(digest);
    expect(text(unpacked.files.get("README.md"))).toBe("# hello\n");
  });

  it("strips the one top-level folder every file sits under, ignoring directory entries", async () => {
    const archive = await tgz([
      { name: "hello-1.0.0/", type: "directory" },
      { name: "hello-1.0.0/package.json", body: "{}" },
      { name: "hello-1.0.0/templates/", type: "directory" },
      { name: "hello-1.0.0/templates/marathon.json.mustache", body: "{}" },
    ]);
    const { files } = await unpackBundle(archive);
    expect([...files.keys()].sort()).toEqual(["package.json", "templates/marathon.json.mustache"]);
  });

  it("keeps folders when files sit under more than one, and reads names written with ./", async () => {
    const archive = await tgz([
      { name: "./", type: "directory" },
      { name: "./a/package.json", body: "{}" },
      { name: "./b/README.md", body: "hi" },
    ]);
    const { files } = await unpackBundle(archive);
    expect([...files.keys()].sort()).toEqual(["a/package.json", "b/README.md"]);
  });

  it("packBundle drops a leading ./ and refuses names that would not unpack safely", async () => {
    const { archive } = await packBundle({ "./package.json": "{}" });
    expect([...(await unpackBundle(archive)).files.keys()]).toEqual(["package.json"]);

    const refused: [string, RegExp][] = [
      ["../evil", /'\.\.' segment/],
      ["/etc/passwd", /absolute/],
      ["a//b", /empty segment/],
      ["dir/", /empty segment/],
      ["a\\b", /backslash/],
      ["a\u0000b", /NUL/],
      ["", /empty/],
      [".", /folder, not a file/],
    ];
    for (const [name, problem] of refused) {
      const error = await packBundle({ [name]: "x", "package.json": "{}" }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(UniverseError);
      expect((error as UniverseError).code).toBe("INVALID_ARGUMENT");
      expect((error as UniverseError).message).toMatch(problem);
    }
  });

  it("packBundle refuses two names for one path, a file inside a file, and no files at all", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ "package.json": "{}", "./package.json": "{}" }, /"package\.json" and "\.\/package\.json"/],
      [{ a: "x", "a/b": "y" }, /"a\/b" cannot sit inside "a"/],
      [{}, /at least one file/],
    ];
    for (const [files, message] of cases) {
      await expect(packBundle(files)).rejects.toMatchObject({ code: "INVALID_ARGUMENT", message });
    }
  });
});

// Names made of safe segments (ASCII, non-ASCII and long ones, which tar-stream writes with
// ustar prefixes or pax records), so every generated map is one packBundle must accept.
const segment = fc
  .string({ unit: fc.constantFrom(..."abcxyz019-_. ~é漢".split("")), minLength: 1, maxLength: 40 })
  .filter((s) => s !== "." && s !== "..");
const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/"));
const contents = fc.uint8Array({ maxLength: 3000 });

/** Drops paths that sit inside another path (a file cannot also be a folder). */
function withoutNesting(paths: string[]): string[] {
  const all = new Set(paths);
  return paths.filter((p) => ![...all].some((other) => other !== p && p.startsWith(`${other}/`)));
}

describe("packBundle and unpackBundle (properties)", () => {
  it("any map of valid names with a file at the root round-trips exactly", async () => {
    const fileMaps = fc
      .tuple(segment, contents, fc.uniqueArray(path, { maxLength: 8 }), fc.array(contents, { maxLength: 8 }))
      .map(([rootName, rootBody, paths, bodies]) => {
        const files = new Map<string, Uint8Array>([[rootName, rootBody]]);
        withoutNesting([rootName, ...paths]).forEach((p, i) => {
          if (p !== rootName) files.set(p, bodies[i % Math.max(bodies.length, 1)] ?? new Uint8Array());
        });
        return files;
      });
    await fc.assert(
      fc.asyncProperty(fileMaps, async (files) => {
        const packed = await packBundle(Object.fromEntries(files));
        const unpacked = await unpackBundle(packed.archive);
        expect(unpacked.digest).toBe(packed.digest);
        expect(new Map([...unpacked.files].sort())).toEqual(new Map([...files].sort()));
      }),
      { numRuns: 60 },
    );
  });
});

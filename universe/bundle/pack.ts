/**
 * Writes a bundle: the files of one package revision as a gzipped tar. The output is
 * deterministic (sorted entries, fixed times, modes and owners), so the same files always give
 * the same archive and therefore the same digest.
 */
import tar from "tar-stream";
import { UniverseError } from "../errors.js";
import { bytesToStream, concatBytes, streamToBytes } from "./bytes.js";
import { sha256Hex } from "./digest.js";
import { findFileUnderFile, parseEntryPath } from "./path.js";

/** A packed bundle and its identity (`sha256:<hex>` of `archive`). */
export interface PackedBundle {
  archive: Uint8Array;
  digest: string;
}

const encoder = new TextEncoder();
const EPOCH = new Date(0);

/**
 * Packs files (relative path → contents; strings are written as UTF-8) into a `.tgz`.
 * Names follow the same rules as {@link unpackBundle} checks; a leading `./` is dropped.
 * Note that if every file sits under one folder, unpacking strips that folder (as it does for
 * Helm-style archives), so keep `package.json` at the root.
 * Throws INVALID_ARGUMENT for an empty map, a bad name, or two names for the same path.
 * @example const { archive, digest } = await packBundle({ "package.json": JSON.stringify(pkg) });
 */
export async function packBundle(files: Record<string, Uint8Array | string>): Promise<PackedBundle> {
  const entries = checkFiles(files);
  const tarBytes = await writeTar(entries);
  const archive = await streamToBytes(bytesToStream(tarBytes).pipeThrough(new CompressionStream("gzip")));
  return { archive, digest: await sha256Hex(archive) };
}

function checkFiles(files: Record<string, Uint8Array | string>): [string, Uint8Array][] {
  if (typeof files !== "object" || files === null || Array.isArray(files)) {
    throw new UniverseError("INVALID_ARGUMENT", "packBundle needs an object of file name → contents");
  }
  const byPath = new Map<string, { name: string; body: Uint8Array }>();
  for (const [name, contents] of Object.entries(files)) {
    const parsed = parseEntryPath(name);
    if (!parsed.ok) {
      throw new UniverseError(
        "INVALID_ARGUMENT",
        `file name ${JSON.stringify(name)} is not allowed: ${parsed.problem}`,
        {
          name,
        },
      );
    }
    const earlier = byPath.get(parsed.path);
    if (earlier) {
      throw new UniverseError(
        "INVALID_ARGUMENT",
        `file names ${JSON.stringify(earlier.name)} and ${JSON.stringify(name)} are the same path; give each file once`,
        { name, path: parsed.path },
      );
    }
    if (typeof contents !== "string" && !(contents instanceof Uint8Array)) {
      throw new UniverseError(
        "INVALID_ARGUMENT",
        `contents of ${JSON.stringify(name)} must be a string or a Uint8Array`,
        { name },
      );
    }
    byPath.set(parsed.path, {
      name,
      body: typeof contents === "string" ? encoder.encode(contents) : contents,
    });
  }
  if (byPath.size === 0) throw new UniverseError("INVALID_ARGUMENT", "a bundle needs at least one file");
  const nested = findFileUnderFile(byPath.keys());
  if (nested) {
    throw new UniverseError(
      "INVALID_ARGUMENT",
      `file ${JSON.stringify(nested[0])} cannot sit inside ${JSON.stringify(nested[1])}, which is a file`,
      { name: nested[0] },
    );
  }
  // Code-unit order, the same on every runtime (localeCompare is not).
  return [...byPath]
    .map(([path, { body }]): [string, Uint8Array] => [path, body])
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

async function writeTar(entries: [string, Uint8Array][]): Promise<Uint8Array> {
  const pack = tar.pack();
  const chunks: Uint8Array[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    pack.on("data", (chunk) => {
      chunks.push(chunk as Uint8Array);
    });
    pack.on("end", () => resolve());
    pack.on("error", reject);
  });
  for (const [name, body] of entries) {
    pack.entry(
      {
        name,
        type: "file",
        size: body.byteLength,
        mode: 0o644,
        mtime: EPOCH,
        uid: 0,
        gid: 0,
        uname: "",
        gname: "",
      },
      body,
    );
  }
  pack.finalize();
  await ended;
  return concatBytes(chunks);
}

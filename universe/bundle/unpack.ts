/**
 * Reads a bundle nobody vouched for. Every limit is enforced while the archive streams through
 * gunzip and the tar parser, so memory stays bounded and a gzip bomb or an endless tar stops
 * early; every entry that could escape the folder it is unpacked into, or is not a plain file,
 * is refused by name. On any refusal the streams are cancelled, never left running.
 */

import type { Header } from "tar-stream";
import tar from "tar-stream";
import { UniverseError } from "../errors.js";
import { concatBytes } from "./bytes.js";
import { type BundleLimits, resolveBundleLimits } from "./limits.js";
import { findFileUnderFile, parseEntryPath } from "./path.js";
import { messageOf, openArchive } from "./source.js";

/** The files of a bundle (relative path → bytes) and its identity (`sha256:<hex>` of the archive). */
export interface UnpackedBundle {
  files: Map<string, Uint8Array>;
  digest: string;
}

/** Room for tar's own bytes on top of file contents: headers, pax records, padding per entry. */
const TAR_OVERHEAD_PER_ENTRY = 4096;
/** ...and end-of-archive blocks and the record padding some tars add. */
const TAR_OVERHEAD_FIXED = 1024 * 1024;

const q = (name: string) => JSON.stringify(name);
const unsafe = (message: string, entry: string) => new UniverseError("BUNDLE_UNSAFE", message, { entry });
const tooLarge = (message: string, details: Record<string, unknown>) =>
  new UniverseError("BUNDLE_TOO_LARGE", message, details);

/**
 * Unpacks a `.tgz` bundle into memory. If every file sits under one top-level folder (as in
 * `hello-1.0.0/package.json`), that folder is stripped. Directory entries are ignored.
 *
 * Throws UniverseError: BUNDLE_INVALID (not gzip, truncated, malformed tar, no files),
 * BUNDLE_UNSAFE (absolute or `..` path, backslash or NUL, link, device, fifo, duplicate name),
 * BUNDLE_TOO_LARGE (a limit of {@link BundleLimits} exceeded), INVALID_ARGUMENT (bad input or limits).
 * @example const { files, digest } = await unpackBundle(await request.bytes(), { maxFileBytes: 1 << 20 });
 */
export async function unpackBundle(
  archive: Uint8Array | ReadableStream<Uint8Array>,
  limits: Partial<BundleLimits> = {},
): Promise<UnpackedBundle> {
  const resolved = resolveBundleLimits(limits);
  const source = openArchive(archive, resolved);
  const files = await extractFiles(source.stream, resolved, source.failure);
  if (files.size === 0) throw new UniverseError("BUNDLE_INVALID", "archive holds no files");
  const nested = findFileUnderFile(files.keys());
  if (nested) {
    throw unsafe(`entry ${q(nested[0])} sits inside ${q(nested[1])}, which is a file`, nested[0]);
  }
  return { files: stripCommonFolder(files), digest: await source.digest() };
}

async function extractFiles(
  compressed: ReadableStream<Uint8Array>,
  limits: BundleLimits,
  sourceFailure: () => UniverseError | undefined,
): Promise<Map<string, Uint8Array>> {
  const gunzip = new DecompressionStream("gzip");
  void pump(compressed, gunzip.writable);
  const reader = gunzip.readable.getReader();
  const extract = tar.extract();
  const files = new Map<string, Uint8Array>();
  const seen = new Map<string, string>(); // canonical path → name as written in the archive
  let failure: UniverseError | undefined;
  let entries = 0;
  let declaredBytes = 0;

  extract.on("entry", (header, body, next) => {
    // A body is destroyed along with the extractor; that error is reported through the
    // extractor, and a body's unheard "error" event would otherwise be thrown as uncaught.
    body.on("error", () => {});
    try {
      entries += 1;
      if (entries > limits.maxEntries) {
        throw tooLarge(
          `archive has more than ${limits.maxEntries} entries (maxEntries); refused at entry ${q(header.name)}`,
          { limit: "maxEntries", max: limits.maxEntries, entry: header.name },
        );
      }
      const kind = entryKind(header);
      const parsed = parseEntryPath(header.name, kind);
      if (!parsed.ok) throw unsafe(`entry ${q(header.name)} is refused: ${parsed.problem}`, header.name);
      if (kind === "directory") {
        body.resume();
        next();
        return;
      }
      const path = parsed.path;
      const earlier = seen.get(path);
      if (earlier !== undefined) {
        const as = earlier === header.name ? "" : ` (first as ${q(earlier)})`;
        throw unsafe(
          `entry ${q(header.name)} appears more than once${as}; each file may appear once`,
          header.name,
        );
      }
      seen.set(path, header.name);
      declaredBytes += header.size;
      checkSize(header, declaredBytes, limits);
      const chunks: Uint8Array[] = [];
      body.on("data", (chunk) => {
        chunks.push(chunk as Uint8Array);
      });
      body.on("end", () => {
        files.set(path, concatBytes(chunks));
        next();
      });
    } catch (error) {
      failure ??= asUniverseError(error);
      extract.destroy(failure);
    }
  });

  const finished = new Promise<void>((resolve, reject) => {
    extract.on("finish", () => resolve());
    extract.on("error", (error: unknown) => {
      failure ??= tarError(error);
      reject(failure);
    });
  });
  finished.catch(() => {}); // awaited below; this only keeps an early rejection from being "unhandled"

  // Decompressed bytes are counted as they flow, before the tar parser sees them: a bomb of
  // zeros (which tar reads as empty blocks, declaring no sizes) stops here.
  const flowLimit = limits.maxTotalBytes + limits.maxEntries * TAR_OVERHEAD_PER_ENTRY + TAR_OVERHEAD_FIXED;
  let flowed = 0;
  try {
    for (;;) {
      const read = await reader.read().catch((error: unknown) => {
        throw sourceFailure() ?? failure ?? gzipError(error);
      });
      if (failure) throw failure;
      if (read.done) break;
      flowed += read.value.byteLength;
      if (flowed > flowLimit) {
        throw tooLarge(
          `archive unpacks to more than ${limits.maxTotalBytes} bytes (maxTotalBytes); refused after ${flowed} bytes`,
          { limit: "maxTotalBytes", max: limits.maxTotalBytes },
        );
      }
      if (!extract.write(read.value)) {
        await Promise.race([
          new Promise<void>((resolve) => extract.once("drain", () => resolve())),
          finished,
        ]);
      }
      if (failure) throw failure;
    }
    extract.end(undefined); // streamx types want an argument; undefined writes nothing
    await finished;
    if (failure) throw failure;
    return files;
  } catch (error) {
    failure ??= asUniverseError(error);
    reader.cancel(failure).catch(() => {});
    extract.destroy(failure);
    throw failure;
  }
}

/** "file" or "directory"; every other kind of entry is refused with what it is. */
function entryKind(header: Header): "file" | "directory" {
  const name = q(header.name);
  const only = "a bundle may hold only regular files and folders";
  const type = header.type as string | null;
  switch (type) {
    case "file":
    case "contiguous-file":
      return "file";
    case "directory":
      return "directory";
    case "symlink":
      throw unsafe(`entry ${name} is a symbolic link (to ${q(header.linkname ?? "")}); ${only}`, header.name);
    case "link":
      throw unsafe(`entry ${name} is a hard link (to ${q(header.linkname ?? "")}); ${only}`, header.name);
    case "character-device":
    case "block-device":
      throw unsafe(`entry ${name} is a ${type.replace("-", " ")}; ${only}`, header.name);
    case "fifo":
      throw unsafe(`entry ${name} is a fifo (named pipe); ${only}`, header.name);
    default:
      throw unsafe(`entry ${name} has an unsupported tar entry type; ${only}`, header.name);
  }
}

/** Refuses a file by its declared size, before any of its body is read. */
function checkSize(header: Header, declaredBytes: number, limits: BundleLimits): void {
  if (header.size > limits.maxFileBytes) {
    throw tooLarge(
      `entry ${q(header.name)} is ${header.size} bytes, over the ${limits.maxFileBytes}-byte limit for one file (maxFileBytes)`,
      { limit: "maxFileBytes", max: limits.maxFileBytes, entry: header.name, size: header.size },
    );
  }
  if (declaredBytes > limits.maxTotalBytes) {
    throw tooLarge(
      `files add up to more than ${limits.maxTotalBytes} bytes (maxTotalBytes); refused at entry ${q(header.name)}`,
      { limit: "maxTotalBytes", max: limits.maxTotalBytes, entry: header.name },
    );
  }
}

/** Strips the one top-level folder every file sits under, if there is one. */
function stripCommonFolder(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  let folder: string | undefined;
  for (const path of files.keys()) {
    const slash = path.indexOf("/");
    if (slash === -1) return files;
    const first = path.slice(0, slash);
    if (folder === undefined) folder = first;
    else if (first !== folder) return files;
  }
  if (folder === undefined) return files;
  const cut = folder.length + 1;
  return new Map([...files].map(([path, bytes]) => [path.slice(cut), bytes]));
}

function asUniverseError(error: unknown): UniverseError {
  return error instanceof UniverseError ? error : tarError(error);
}

function tarError(error: unknown): UniverseError {
  if (error instanceof UniverseError) return error;
  const message = messageOf(error);
  if (/unexpected end/i.test(message)) {
    return new UniverseError(
      "BUNDLE_INVALID",
      "archive is truncated: the tar data ends inside a header or an entry",
    );
  }
  return new UniverseError("BUNDLE_INVALID", `archive is not a valid tar file: ${message}`);
}

function gzipError(error: unknown): UniverseError {
  const message = messageOf(error);
  if (/unexpected end|end of (file|stream|input)|truncat|incomplete|premature/i.test(message)) {
    return new UniverseError(
      "BUNDLE_INVALID",
      "archive is truncated: the gzip data ends early (was the upload or download cut short?)",
    );
  }
  return new UniverseError("BUNDLE_INVALID", `archive is not valid gzip data: ${message}`);
}

/**
 * Feeds the compressed bytes to the decompressor by hand rather than with pipeThrough: on a
 * truncated archive the decompressor's close() rejects, and workerd reports a rejection of
 * pipeThrough's internal promises as uncaught. Here every promise is observed; the reader of
 * the decompressed side sees the same failure and turns it into BUNDLE_INVALID.
 */
async function pump(from: ReadableStream<Uint8Array>, to: WritableStream<Uint8Array>): Promise<void> {
  const reader = from.getReader();
  const writer = to.getWriter();
  writer.closed.catch(() => {});
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      await writer.write(value);
    }
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => {});
    await reader.cancel(e).catch(() => {});
  }
}

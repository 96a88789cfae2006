/**
 * The compressed side of unpacking: turns the caller's bytes or stream into small slices for the
 * decompressor while checking, before any inflating happens, that the input is gzip (magic
 * bytes 1f 8b) and no larger than the archive limit. It also keeps the compressed bytes (bounded
 * by that limit) so the digest can be computed once the archive has been read.
 */
import { UniverseError } from "../errors.js";
import { bytesToStream, concatBytes } from "./bytes.js";
import { sha256Hex } from "./digest.js";
import type { BundleLimits } from "./limits.js";

/** What unpacking reads: the compressed slices, the digest, and any refusal made here. */
export interface ArchiveSource {
  stream: ReadableStream<Uint8Array>;
  /** `sha256:<hex>` of every compressed byte; call once the stream has been read to its end. */
  digest(): Promise<string>;
  /** The error this source refused the input with, if any (the stream errors with it too). */
  failure(): UniverseError | undefined;
}

/** Slices fed to the decompressor: one write can expand ~1000×, so keep writes small. */
const SLICE_BYTES = 64 * 1024;
const GZIP_MAGIC = [0x1f, 0x8b] as const;

const notGzip = (why: string) =>
  new UniverseError("BUNDLE_INVALID", `not a gzip archive: ${why}; a bundle is a .tgz (gzipped tar)`);

const tooLarge = (limit: number) =>
  new UniverseError(
    "BUNDLE_TOO_LARGE",
    `archive is larger than the ${limit}-byte limit for a compressed bundle (maxArchiveBytes)`,
    { limit: "maxArchiveBytes", max: limit },
  );

/**
 * Opens bytes or a stream as an archive source. Rejects up front what it can see at once (the
 * size and magic bytes of a Uint8Array); a stream is checked as it flows.
 */
export function openArchive(
  archive: Uint8Array | ReadableStream<Uint8Array>,
  limits: BundleLimits,
): ArchiveSource {
  if (archive instanceof Uint8Array) {
    if (archive.byteLength > limits.maxArchiveBytes) throw tooLarge(limits.maxArchiveBytes);
    if (archive.byteLength < 2) throw notGzip("the archive is empty or too short");
    if (archive[0] !== GZIP_MAGIC[0] || archive[1] !== GZIP_MAGIC[1]) {
      throw notGzip("it does not start with the gzip magic bytes 1f 8b");
    }
    return {
      stream: bytesToStream(archive, SLICE_BYTES),
      digest: () => sha256Hex(archive),
      failure: () => undefined,
    };
  }
  if (!isReadableStream(archive)) {
    throw new UniverseError(
      "INVALID_ARGUMENT",
      "unpackBundle needs a Uint8Array or a ReadableStream of bytes",
    );
  }
  if (archive.locked) {
    throw new UniverseError("INVALID_ARGUMENT", "the archive stream is already being read (it is locked)");
  }
  return streamSource(archive, limits);
}

function streamSource(archive: ReadableStream<Uint8Array>, limits: BundleLimits): ArchiveSource {
  const reader = archive.getReader();
  const kept: Uint8Array[] = [];
  let total = 0;
  let failure: UniverseError | undefined;

  const refuse = (error: UniverseError): never => {
    failure ??= error;
    reader.cancel(error).catch(() => {});
    throw error;
  };

  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await reader.read().catch((cause: unknown) => {
          failure ??= new UniverseError("BUNDLE_INVALID", `reading the archive failed: ${messageOf(cause)}`);
          throw failure;
        });
        if (next.done) {
          if (total < GZIP_MAGIC.length) refuse(notGzip("the archive is empty or too short"));
          controller.close();
          return;
        }
        const chunk: unknown = next.value;
        if (!(chunk instanceof Uint8Array)) {
          refuse(new UniverseError("INVALID_ARGUMENT", "the archive stream must yield Uint8Array chunks"));
          return;
        }
        for (let i = 0; total + i < GZIP_MAGIC.length && i < chunk.byteLength; i++) {
          if (chunk[i] !== GZIP_MAGIC[total + i]) {
            refuse(notGzip("it does not start with the gzip magic bytes 1f 8b"));
          }
        }
        total += chunk.byteLength;
        if (total > limits.maxArchiveBytes) refuse(tooLarge(limits.maxArchiveBytes));
        const copy = chunk.slice(); // the producer may reuse its buffer
        kept.push(copy);
        for (let offset = 0; offset < copy.byteLength; offset += SLICE_BYTES) {
          controller.enqueue(copy.subarray(offset, offset + SLICE_BYTES));
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );

  return { stream, digest: () => sha256Hex(concatBytes(kept)), failure: () => failure };
}

function isReadableStream(value: unknown): value is ReadableStream<Uint8Array> {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { getReader?: unknown }).getReader === "function"
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

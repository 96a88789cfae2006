// Test helper: builds tar archives entry by entry with tar-stream's pack, which writes whatever
// name and type it is given, so tests can make the hostile archives unpackBundle must refuse.
import tar from "tar-stream";

/** One tar entry as a test wants it; `pax` adds extended-header records (e.g. a `path`). */
export interface RawEntry {
  name: string;
  type?: "file" | "directory" | "symlink" | "link" | "character-device" | "block-device" | "fifo";
  body?: Uint8Array | string;
  linkname?: string;
  pax?: Record<string, string>;
}

const encoder = new TextEncoder();

function addEntry(pack: tar.Pack, entry: RawEntry, done: () => void): void {
  const type = entry.type ?? "file";
  const header = {
    name: entry.name,
    type,
    mode: type === "directory" ? 0o755 : 0o644,
    mtime: new Date(0),
    ...(entry.linkname === undefined ? {} : { linkname: entry.linkname }),
    ...(entry.pax === undefined ? {} : { pax: entry.pax }),
  };
  if (type === "file") {
    const body =
      typeof entry.body === "string" ? encoder.encode(entry.body) : (entry.body ?? new Uint8Array());
    pack.entry({ ...header, size: body.byteLength }, body, () => done());
  } else {
    pack.entry(header, () => done());
  }
}

/**
 * A tar stream of `entries`, produced only as fast as it is read; cancelling it stops the
 * producer, so a test can offer 100,000 entries without building them all.
 */
export function tarStream(entries: Iterable<RawEntry>): ReadableStream<Uint8Array> {
  const pack = tar.pack();
  let cancelled = false;
  let started = false;
  const produce = async () => {
    for (const entry of entries) {
      if (cancelled) return;
      await new Promise<void>((resolve) => addEntry(pack, entry, resolve));
    }
    pack.finalize();
  };
  const chunks = pack[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!started) {
          started = true;
          void produce().catch(() => {}); // pack.entry throws once cancel destroyed the pack
        }
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(new Uint8Array(next.value as Uint8Array));
      },
      async cancel() {
        cancelled = true;
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Gzips a stream (or bytes) with the web CompressionStream. */
export function gzipStream(input: ReadableStream<Uint8Array>): ReadableStream<Uint8Array> {
  return input.pipeThrough(new CompressionStream("gzip"));
}

export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Plain (uncompressed) tar bytes of `entries`. */
export const tarBytes = (entries: RawEntry[]): Promise<Uint8Array> => readAll(tarStream(entries));

export const gzipBytes = (bytes: Uint8Array): Promise<Uint8Array> =>
  readAll(gzipStream(new Response(bytes).body as ReadableStream<Uint8Array>));

/** A `.tgz` of `entries`, exactly as written (no name checks at all). */
export const tgz = async (entries: RawEntry[]): Promise<Uint8Array> => gzipBytes(await tarBytes(entries));

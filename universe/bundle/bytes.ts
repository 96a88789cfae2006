/**
 * Small byte helpers the bundle code shares (no Buffer, so they run on Workers too).
 */

/** Joins chunks into one fresh Uint8Array (never a view that keeps a larger buffer alive). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const chunk of chunks) length += chunk.byteLength;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * A stream over `bytes` in slices of at most `sliceBytes`, produced only as fast as the reader
 * pulls. Feeding a decompressor small slices keeps how much one write can expand to bounded.
 */
export function bytesToStream(bytes: Uint8Array, sliceBytes = 64 * 1024): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (offset >= bytes.byteLength) {
          controller.close();
          return;
        }
        controller.enqueue(bytes.slice(offset, offset + sliceBytes));
        offset += sliceBytes;
      },
    },
    { highWaterMark: 0 },
  );
}

/** Reads a whole byte stream into one Uint8Array. */
export async function streamToBytes(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return concatBytes(chunks);
    chunks.push(value);
  }
}

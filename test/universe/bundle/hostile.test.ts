// Hostile archives, generated here, that unpackBundle must refuse: each with its own error code
// and a message that names the problem (and the entry, where there is one). Limits are checked
// while the archive streams, so the big ones stop early and memory stays small.
import { describe, expect, it } from "vitest";
import { type BundleLimits, packBundle, unpackBundle } from "../../../universe/bundle/index.js";
import { UniverseError, type UniverseErrorCode } from "../../../universe/errors.js";
import { gzipBytes, gzipStream, type RawEntry, readAll, tarBytes, tarStream, tgz } from "./archive.js";

/** Unpacks and returns the error it was refused with (failing the test if it was not). */
async function refusal(
  archive: Uint8Array | ReadableStream<Uint8Array>,
  limits?: Partial<BundleLimits>,
): Promise<UniverseError> {
  const outcome = await unpackBundle(archive, limits).then(
    () => new Error("the archive was unpacked, but it should have been refused"),
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(UniverseError);
  return outcome as UniverseError;
}

async function expectRefused(
  archive: Uint8Array | ReadableStream<Uint8Array>,
  code: UniverseErrorCode,
  message: RegExp | string,
  limits?: Partial<BundleLimits>,
): Promise<UniverseError> {
  const error = await refusal(archive, limits);
  expect(error.code).toBe(code);
  if (typeof message === "string") expect(error.message).toContain(message);
  else expect(error.message).toMatch(message);
  return error;
}

const pkg: RawEntry = { name: "package.json", body: "{}" };

/** Bytes that look random and do not compress, from a fixed seed. */
function noise(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** A stream over chunks that records whether it was cancelled and how much was read. */
function trackedStream(bytes: Uint8Array, chunkBytes: number) {
  const state = { cancelled: false, read: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (state.read >= bytes.byteLength) return controller.close();
        controller.enqueue(bytes.slice(state.read, state.read + chunkBytes));
        state.read += chunkBytes;
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

describe("unpackBundle refuses unsafe entries, naming them", () => {
  const cases: [string, RawEntry, RegExp][] = [
    ["a parent-folder traversal", { name: "../evil", body: "x" }, /"\.\.\/evil".*'\.\.' segment/],
    ["a traversal hidden mid-path", { name: "a/../../evil", body: "x" }, /"a\/\.\.\/\.\.\/evil".*'\.\.'/],
    ["an absolute path", { name: "/etc/passwd", body: "x" }, /"\/etc\/passwd".*absolute/],
    ["a backslash path", { name: "..\\evil", body: "x" }, /"\.\.\\\\evil".*backslash/],
    ["a NUL in a pax path", { name: "ok", body: "x", pax: { path: "ok\u0000/../x" } }, /"ok\\u0000.*NUL/],
    [
      "a symbolic link",
      { name: "link", type: "symlink", linkname: "/etc/passwd" },
      /"link" is a symbolic link/,
    ],
    ["a hard link", { name: "hard", type: "link", linkname: "package.json" }, /"hard" is a hard link/],
    ["a character device", { name: "null", type: "character-device" }, /"null" is a character device/],
    ["a block device", { name: "sda", type: "block-device" }, /"sda" is a block device/],
    ["a fifo", { name: "pipe", type: "fifo" }, /"pipe" is a fifo/],
  ];
  for (const [what, entry, message] of cases) {
    it(`refuses ${what} with BUNDLE_UNSAFE`, async () => {
      const error = await expectRefused(await tgz([pkg, entry]), "BUNDLE_UNSAFE", message);
      expect(error.details).toMatchObject({ entry: entry.pax?.path ?? entry.name });
    });
  }

  it("refuses a name that appears twice, also when written once with ./", async () => {
    await expectRefused(
      await tgz([pkg, { name: "package.json", body: "{ }" }]),
      "BUNDLE_UNSAFE",
      /"package\.json" appears more than once/,
    );
    await expectRefused(
      await tgz([pkg, { name: "./package.json", body: "{ }" }]),
      "BUNDLE_UNSAFE",
      /"\.\/package\.json" appears more than once \(first as "package\.json"\)/,
    );
  });

  it("refuses a file that sits inside another file", async () => {
    await expectRefused(
      await tgz([pkg, { name: "a", body: "x" }, { name: "a/b", body: "y" }]),
      "BUNDLE_UNSAFE",
      /"a\/b" sits inside "a"/,
    );
  });
});

describe("unpackBundle enforces its limits while streaming", () => {
  it("stops at the entry limit on an endless stream of 100,000 entries, and stops reading it", async () => {
    let generated = 0;
    function* entries(): Generator<RawEntry> {
      for (let i = 0; i < 100_000; i++) {
        generated++;
        yield { name: `f${i}`, body: "x" };
      }
    }
    const error = await expectRefused(
      gzipStream(tarStream(entries())),
      "BUNDLE_TOO_LARGE",
      /more than 1000 entries \(maxEntries\); refused at entry "f1000"/,
    );
    expect(error.details).toMatchObject({ limit: "maxEntries" });
    expect(generated).toBeGreaterThan(1000);
    expect(generated).toBeLessThan(20_000); // cancelling reached the producer
  });

  it("stops a 1 GB gzip bomb early, with memory growing by far less than the bomb", async () => {
    const oneGiB = 1024 ** 3;
    const zeros = new Uint8Array(1024 * 1024);
    let produced = 0;
    const zeroStream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          if (produced >= oneGiB) return controller.close();
          controller.enqueue(zeros);
          produced += zeros.byteLength;
        },
      },
      { highWaterMark: 0 },
    );
    const bomb = await readAll(gzipStream(zeroStream));
    expect(bomb.byteLength).toBeLessThan(2 * 1024 * 1024); // ~1 MB that inflates to 1 GiB

    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    try {
      const error = await expectRefused(bomb, "BUNDLE_TOO_LARGE", /unpacks to more than 67108864 bytes/);
      expect(error.details).toMatchObject({ limit: "maxTotalBytes" });
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("refuses a file over maxFileBytes from its header, before reading its body", async () => {
    // Only the header and 1 KiB of the body are present: reading the body would hit the cut.
    const tar = await tarBytes([pkg, { name: "big.bin", body: new Uint8Array(9 * 1024 * 1024) }]);
    const cut = await gzipBytes(tar.subarray(0, 2048 + 1024));
    await expectRefused(cut, "BUNDLE_TOO_LARGE", /"big\.bin" is 9437184 bytes, over the 8388608-byte limit/);
  });

  it("refuses files that add up to more than maxTotalBytes, naming the entry that crosses it", async () => {
    const body = new Uint8Array(400);
    const archive = await tgz([pkg, { name: "a", body }, { name: "b", body }, { name: "c", body }]);
    await expectRefused(
      archive,
      "BUNDLE_TOO_LARGE",
      /more than 1000 bytes \(maxTotalBytes\); refused at entry "c"/,
      {
        maxTotalBytes: 1000,
      },
    );
  });

  it("refuses an archive over maxArchiveBytes, as bytes and as a stream it stops reading", async () => {
    const archive = await tgz([pkg, { name: "noise.bin", body: noise(300_000) }]);
    await expectRefused(archive, "BUNDLE_TOO_LARGE", /larger than the 100000-byte limit .*maxArchiveBytes/, {
      maxArchiveBytes: 100_000,
    });

    const { stream, state } = trackedStream(archive, 16 * 1024);
    await expectRefused(stream, "BUNDLE_TOO_LARGE", /maxArchiveBytes/, { maxArchiveBytes: 100_000 });
    expect(state.cancelled).toBe(true);
    expect(state.read).toBeLessThanOrEqual(100_000 + 16 * 1024);
  });

  it("refuses limits that are not positive whole numbers", async () => {
    const { archive } = await packBundle({ "package.json": "{}" });
    await expectRefused(archive, "INVALID_ARGUMENT", /maxEntries must be a positive whole number/, {
      maxEntries: 0,
    });
    await expectRefused(archive, "INVALID_ARGUMENT", /maxFileBytes/, { maxFileBytes: 1.5 });
  });
});

describe("unpackBundle refuses archives that are not well-formed", () => {
  it("refuses random bytes and a plain (ungzipped) tar as not gzip", async () => {
    const random = noise(4096, 7);
    random[0] = 0x42;
    await expectRefused(random, "BUNDLE_INVALID", "not a gzip archive");
    await expectRefused(await tarBytes([pkg]), "BUNDLE_INVALID", "not a gzip archive");
    await expectRefused(new Uint8Array(), "BUNDLE_INVALID", "not a gzip archive");
    await expectRefused(
      trackedStream(await tarBytes([pkg]), 1).stream,
      "BUNDLE_INVALID",
      "not a gzip archive",
    );
  });

  it("refuses data after the gzip magic bytes that is not gzip", async () => {
    const fake = noise(2048, 3);
    fake.set([0x1f, 0x8b, 0x08], 0);
    await expectRefused(fake, "BUNDLE_INVALID", /not valid gzip data|truncated/);
  });

  it("refuses an archive cut in half as truncated, from bytes and from a stream", async () => {
    const archive = await tgz([pkg, { name: "noise.bin", body: noise(50_000) }]);
    const half = archive.subarray(0, archive.byteLength >> 1);
    await expectRefused(half, "BUNDLE_INVALID", "archive is truncated");
    await expectRefused(trackedStream(half, 4096).stream, "BUNDLE_INVALID", "archive is truncated");
  });

  it("refuses a tar that ends inside an entry, even when its gzip is complete", async () => {
    const tar = await tarBytes([pkg, { name: "data.bin", body: noise(5000) }]);
    await expectRefused(await gzipBytes(tar.subarray(0, 2048)), "BUNDLE_INVALID", /truncated.*tar/);
  });

  it("refuses gzip of something that is not a tar", async () => {
    const text = new TextEncoder().encode("hello world, this is not a tar file\n".repeat(40));
    await expectRefused(await gzipBytes(text), "BUNDLE_INVALID", "not a valid tar file");
  });

  it("refuses an archive that holds only folders", async () => {
    await expectRefused(
      await tgz([{ name: "empty/", type: "directory" }]),
      "BUNDLE_INVALID",
      "holds no files",
    );
  });
});

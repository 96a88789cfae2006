/**
 * Published bundle archives in the database, split into chunks of at most 512 KiB so that no
 * row comes near D1's 2 MB value limit. Chunks are keyed by (digest, seq): writing the same
 * bundle twice is harmless, which lets publish write them before its final batch and lets two
 * publishers of one bundle race without harm. Reads check the bytes against the digest.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { sha256Hex } from "../../../universe/bundle/index.js";
import { bundleChunks, packageRevisions } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import { ApiError } from "../../errors.js";

export const CHUNK_BYTES = 512 * 1024;
/** Chunks per batch: 4 MiB per round trip. */
const CHUNKS_PER_BATCH = 8;

/** Writes the archive's chunks (idempotently). */
export async function storeBundle(db: Db, digest: string, archive: Uint8Array): Promise<void> {
  const statements = [];
  for (let seq = 0; seq * CHUNK_BYTES < archive.byteLength; seq++) {
    const data = archive.subarray(seq * CHUNK_BYTES, (seq + 1) * CHUNK_BYTES);
    statements.push(db.insert(bundleChunks).values({ digest, seq, data }).onConflictDoNothing());
  }
  for (let i = 0; i < statements.length; i += CHUNKS_PER_BATCH) {
    const [first, ...rest] = statements.slice(i, i + CHUNKS_PER_BATCH);
    if (first) await db.batch([first, ...rest]);
  }
}

/** Removes a bundle's chunks unless a revision refers to it (cleanup after a failed publish). */
export const dropUnreferencedBundle = (db: Db, digest: string) =>
  db
    .delete(bundleChunks)
    .where(
      and(
        eq(bundleChunks.digest, digest),
        sql`not exists (select 1 from ${packageRevisions} where ${packageRevisions.digest} = ${digest})`,
      ),
    );

export interface StoredBundle {
  bytes: Uint8Array;
  name: string;
  version: string;
}

/**
 * The archive of a published bundle, or undefined when no catalog revision refers to the
 * digest (leftovers of a failed publish are never served). Throws INTERNAL when the stored
 * bytes do not hash to the digest: a damaged store must not hand out wrong bytes.
 */
export async function loadBundle(db: Db, digest: string): Promise<StoredBundle | undefined> {
  const [rev] = await db
    .select({ name: packageRevisions.name, version: packageRevisions.version })
    .from(packageRevisions)
    .where(eq(packageRevisions.digest, digest))
    .limit(1);
  if (!rev) return undefined;
  const rows = await db
    .select({ seq: bundleChunks.seq, data: bundleChunks.data })
    .from(bundleChunks)
    .where(eq(bundleChunks.digest, digest))
    .orderBy(asc(bundleChunks.seq));
  const total = rows.reduce((n, r) => n + r.data.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  rows.forEach((row, i) => {
    if (row.seq !== i) throw new ApiError("INTERNAL", `bundle ${digest} is missing chunk ${i}`);
    bytes.set(row.data, at);
    at += row.data.byteLength;
  });
  if (rows.length === 0 || (await sha256Hex(bytes)) !== digest) {
    throw new ApiError("INTERNAL", `the stored bundle ${digest} does not match its digest`);
  }
  return { bytes, ...rev };
}

/**
 * Writes the revisions of an import under a staging repository row, in chunks that fit D1's
 * limits: at most 100 bound parameters per statement (so 12 rows of 8 columns per INSERT),
 * a bounded number of statements and bytes per batch, and at most 2 MB per row. Each chunk
 * is its own db.batch(); the import commits (or discards the staging row) afterwards, so a
 * failure in the middle never leaves half a repository visible.
 */
import { toIndexEntry } from "../../../universe/import/index-entry.js";
import type { ImportFailure } from "../../../universe/import/result.js";
import type { PackageDefinition } from "../../../universe/models/package.js";
import { newId } from "../../auth/secrets.js";
import { packageRevisions } from "../../db/schema.js";
import type { Db } from "../../deps.js";

export type RevisionRow = typeof packageRevisions.$inferInsert;

/** 8 columns × 12 rows = 96 bound parameters, under D1's 100 per statement. */
export const ROWS_PER_STATEMENT = 12;
/** Statements per batch: ~48 rows per round trip. */
const STATEMENTS_PER_BATCH = 4;
/** Bytes of entries per batch, so one round trip never carries a huge payload. */
const BYTES_PER_BATCH = 4 * 1024 * 1024;
/** D1 refuses rows over 2 MB; an entry this large is reported as a failure, not written. */
export const MAX_ENTRY_BYTES = 1_800_000;

const encoder = new TextEncoder();

/** A revision as a row, or why it cannot be stored. */
export function revisionRow(
  def: PackageDefinition,
  repositoryId: string,
  now: number,
  extra: { id?: string; digest?: string } = {},
): { row: RevisionRow; bytes: number } | { failure: string } {
  const entry = toIndexEntry(def);
  const bytes = encoder.encode(JSON.stringify(entry)).byteLength;
  if (bytes > MAX_ENTRY_BYTES) {
    return {
      failure: `${def.metadata.name}@${def.metadata.version}: its index entry is ${bytes} bytes, more than the ${MAX_ENTRY_BYTES} a catalog row can hold`,
    };
  }
  return {
    bytes,
    row: {
      id: extra.id ?? newId("pr_"),
      repositoryId,
      name: def.metadata.name,
      version: def.metadata.version,
      releaseVersion: def.releaseVersion,
      digest: extra.digest ?? null,
      entry,
      createdAt: now,
    },
  };
}

/**
 * Inserts every definition under `repositoryId` (a staging row). Returns how many went in
 * and the ones too large to store. Throws on a database failure; the caller discards.
 */
export async function writeRevisions(
  db: Db,
  repositoryId: string,
  defs: readonly PackageDefinition[],
  now: number,
): Promise<{ written: number; failed: ImportFailure[] }> {
  const failed: ImportFailure[] = [];
  let batch: RevisionRow[][] = [];
  let statement: RevisionRow[] = [];
  let batchBytes = 0;
  let written = 0;

  const flush = async () => {
    if (statement.length > 0) batch.push(statement);
    statement = [];
    if (batch.length === 0) return;
    const [first, ...rest] = batch.map((rows) => db.insert(packageRevisions).values(rows));
    if (first) await db.batch([first, ...rest]);
    written += batch.reduce((n, rows) => n + rows.length, 0);
    batch = [];
    batchBytes = 0;
  };

  for (const def of defs) {
    const made = revisionRow(def, repositoryId, now);
    if ("failure" in made) {
      failed.push({ path: `${def.metadata.name}/${def.releaseVersion}`, reason: made.failure });
      continue;
    }
    if (batchBytes + made.bytes > BYTES_PER_BATCH && (batch.length > 0 || statement.length > 0))
      await flush();
    statement.push(made.row);
    batchBytes += made.bytes;
    if (statement.length === ROWS_PER_STATEMENT) {
      batch.push(statement);
      statement = [];
      if (batch.length === STATEMENTS_PER_BATCH) await flush();
    }
  }
  await flush();
  return { written, failed };
}

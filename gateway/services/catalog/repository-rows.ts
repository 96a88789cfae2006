/**
 * Reading and renumbering repository rows. A row with a negative priority is an import under
 * way (see repository-import.ts): it holds its revisions while they are written, chunk by
 * chunk, and stays out of the catalog and the list until the import's final batch gives it
 * its place. Everything here looks only at visible rows unless it says otherwise.
 */
import { and, asc, count, eq, gte, inArray, isNotNull, lt, notInArray, or, sql } from "drizzle-orm";
import type { Repository } from "../../contract/catalog.js";
import { bundleChunks, packageRevisions, repositories } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import { notFound } from "../../errors.js";

export type RepositoryRow = typeof repositories.$inferSelect;

/** Priority of a row whose import has not committed yet: hidden everywhere. */
export const STAGING_PRIORITY = -1;
/** An import that has not committed after this long was abandoned (its process died). */
export const ABANDONED_IMPORT_MS = 15 * 60_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Visible repositories in priority order (0 first); ties by age, then name. */
export function listRepositoryRows(db: Db): Promise<RepositoryRow[]> {
  return db
    .select()
    .from(repositories)
    .where(gte(repositories.priority, 0))
    .orderBy(asc(repositories.priority), asc(repositories.createdAt), asc(repositories.name));
}

/** A visible repository by id or name, or 404. */
export async function getRepositoryRow(db: Db, idOrName: string): Promise<RepositoryRow> {
  const [row] = await db
    .select()
    .from(repositories)
    .where(
      and(or(eq(repositories.id, idOrName), eq(repositories.name, idOrName)), gte(repositories.priority, 0)),
    )
    .limit(1);
  if (!row) throw notFound(`repository ${idOrName}`);
  return row;
}

/** Any row with that name, staging ones included (names are unique across both). */
export async function findRowByName(db: Db, name: string): Promise<RepositoryRow | undefined> {
  const [row] = await db.select().from(repositories).where(eq(repositories.name, name)).limit(1);
  return row;
}

/** Revisions per repository id. */
export async function revisionCounts(db: Db, ids?: string[]): Promise<Map<string, number>> {
  const rows = await db
    .select({ id: packageRevisions.repositoryId, n: count() })
    .from(packageRevisions)
    .where(ids ? inArray(packageRevisions.repositoryId, ids) : undefined)
    .groupBy(packageRevisions.repositoryId);
  return new Map(rows.map((r) => [r.id, r.n]));
}

export const repositoryView = (row: RepositoryRow, revisions: number): Repository => ({
  id: row.id,
  name: row.name,
  uri: row.uri,
  kind: row.kind,
  index: row.priority,
  revisions,
  createdAt: iso(row.createdAt) ?? "",
  importedAt: iso(row.importedAt),
});

/**
 * Statements that give `ordered` the priorities 0, 1, 2, … Keeping priorities dense means a
 * repository's priority is also its index in the list. Every row is written, even one whose
 * priority looks unchanged: two admins reordering at once then leave one whole order (the
 * later batch's), where writing only the changed rows could leave two repositories at one
 * priority.
 */
export function renumberStatements(db: Db, ordered: readonly RepositoryRow[]) {
  return ordered.map((row, i) =>
    db.update(repositories).set({ priority: i }).where(eq(repositories.id, row.id)),
  );
}

/** `rows` with `row` placed at `index` (clamped to the end). */
export function placeAt(rows: readonly RepositoryRow[], row: RepositoryRow, index: number): RepositoryRow[] {
  const rest = rows.filter((r) => r.id !== row.id);
  rest.splice(Math.min(index, rest.length), 0, row);
  return rest;
}

/** Deletes a repository and its revisions explicitly (not relying on the cascade being on). */
export const dropRepositoryStatements = (db: Db, id: string) =>
  [
    db.delete(packageRevisions).where(eq(packageRevisions.repositoryId, id)),
    db.delete(repositories).where(eq(repositories.id, id)),
  ] as const;

/** Removes bundle chunks that no revision refers to any more (after a delete). */
export const orphanChunksStatement = (db: Db) =>
  db
    .delete(bundleChunks)
    .where(
      notInArray(
        bundleChunks.digest,
        db
          .select({ digest: packageRevisions.digest })
          .from(packageRevisions)
          .where(isNotNull(packageRevisions.digest)),
      ),
    );

/**
 * Removes imports that never committed (their process died mid-way) so their rows and names
 * do not linger. Cheap when there are none: one indexed-by-primary-key scan of a small table.
 */
export async function collectAbandonedImports(db: Db, now: number): Promise<void> {
  const stale = await db
    .select({ id: repositories.id })
    .from(repositories)
    .where(and(lt(repositories.priority, 0), lt(repositories.createdAt, now - ABANDONED_IMPORT_MS)));
  for (const { id } of stale) await db.batch([...dropRepositoryStatements(db, id)]);
}

/** Largest visible priority + 1: where a repository added at the end goes. */
export async function nextPriority(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(max(${repositories.priority}), -1) + 1` })
    .from(repositories);
  return Number(row?.n ?? 0);
}

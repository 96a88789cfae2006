/**
 * The catalog in memory: every package revision of every repository as a PackageDefinition,
 * plus the search index. Rebuilt when the catalog version (gateway_state "catalog") moves, so
 * searches and describes do not parse JSON rows on every request. On Node the version lives in
 * this process too, so a search touches no database; on Workers each use reads the version
 * (one indexed row) and rebuilds the isolate's copy when it moved.
 */
import { and, asc, eq, gt, gte, sql } from "drizzle-orm";
import { fromIndexEntry } from "../../../universe/import/index-entry.js";
import type { PackageDefinition } from "../../../universe/models/package.js";
import { buildSearchIndex, type SearchIndex } from "../../../universe/search/index.js";
import { gatewayState, packageRevisions, repositories } from "../../db/schema.js";
import type { Db, Deps } from "../../deps.js";

export interface CatalogRevision {
  id: string;
  repositoryId: string;
  repositoryName: string;
  repositoryUri: string | null;
  repositoryPriority: number;
  digest: string | null;
  definition: PackageDefinition;
}

export interface CatalogSnapshot {
  version: number;
  revisions: CatalogRevision[];
  byName: Map<string, CatalogRevision[]>;
  search: SearchIndex;
}

export interface CatalogCache {
  get(): Promise<CatalogSnapshot>;
  /** Bumps the catalog version after a change; to be called in the same batch as the change. */
  bumpStatement(db: Db): ReturnType<typeof bumpCatalogVersion>;
  /** Forget the snapshot (after a change made by this process). */
  invalidate(): void;
}

const KEY = "catalog";

export const bumpCatalogVersion = (db: Db) =>
  db
    .insert(gatewayState)
    .values({ key: KEY, value: 1 })
    .onConflictDoUpdate({ target: gatewayState.key, set: { value: sql`${gatewayState.value} + 1` } });

async function readVersion(db: Db): Promise<number> {
  const [row] = await db
    .select({ value: gatewayState.value })
    .from(gatewayState)
    .where(eq(gatewayState.key, KEY));
  return row?.value ?? 0;
}

/**
 * Revisions are read in pages by id, so that a large catalog never sits in memory twice over
 * (driver rows and parsed definitions of every revision at once): the peak stays near the
 * snapshot's own size, which is what the gateway's resident memory settles at.
 */
const PAGE = 500;
/** A load that keeps seeing the catalog change under it gives up after this many tries. */
const MAX_LOAD_ATTEMPTS = 3;

async function readRevisions(db: Db): Promise<CatalogRevision[]> {
  const revisions: CatalogRevision[] = [];
  let after = "";
  for (;;) {
    const rows = await db
      .select({
        id: packageRevisions.id,
        repositoryId: packageRevisions.repositoryId,
        entry: packageRevisions.entry,
        digest: packageRevisions.digest,
        repositoryName: repositories.name,
        repositoryUri: repositories.uri,
        repositoryPriority: repositories.priority,
      })
      .from(packageRevisions)
      .innerJoin(repositories, eq(repositories.id, packageRevisions.repositoryId))
      // A negative priority marks an import that has not committed yet (repository-import.ts).
      .where(and(gt(packageRevisions.id, after), gte(repositories.priority, 0)))
      .orderBy(asc(packageRevisions.id))
      .limit(PAGE);
    for (const r of rows) {
      revisions.push({
        id: r.id,
        repositoryId: r.repositoryId,
        repositoryName: r.repositoryName,
        repositoryUri: r.repositoryUri,
        repositoryPriority: r.repositoryPriority,
        digest: r.digest,
        // Rows were checked when they were stored; parsing again only rebuilds the typed form.
        definition: fromIndexEntry(r.entry, `${r.repositoryName}/${r.id}`),
      });
    }
    if (rows.length < PAGE) break;
    after = rows[rows.length - 1]!.id;
  }
  // Repository priority, then name, then releaseVersion: the order every reader expects.
  return revisions.sort(
    (a, b) =>
      a.repositoryPriority - b.repositoryPriority ||
      compareNames(a.definition.metadata.name, b.definition.metadata.name) ||
      a.definition.releaseVersion - b.definition.releaseVersion,
  );
}

const compareNames = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function load(db: Db, version: number): Promise<CatalogSnapshot> {
  // Pages are separate reads: a change committed between two of them would mix two catalogs,
  // so the version is read again afterwards and the load repeated if it moved.
  let revisions = await readRevisions(db);
  for (let attempt = 1; ; attempt++) {
    const after = await readVersion(db);
    if (after === version) break;
    if (attempt === MAX_LOAD_ATTEMPTS) {
      // Still moving: serve this read once, under a version no read matches, so the next
      // use loads again.
      version = -1;
      break;
    }
    version = after;
    revisions = await readRevisions(db);
  }
  const byName = new Map<string, CatalogRevision[]>();
  for (const r of revisions) {
    const list = byName.get(r.definition.metadata.name);
    if (list) list.push(r);
    else byName.set(r.definition.metadata.name, [r]);
  }
  const search = buildSearchIndex(
    revisions.map((r) => ({
      definition: r.definition,
      repositoryPriority: r.repositoryPriority,
      repository: r.repositoryName,
    })),
  );
  return { version, revisions, byName, search };
}

export function createCatalogCache(deps: Deps): CatalogCache {
  let snapshot: CatalogSnapshot | undefined;
  let loading: Promise<CatalogSnapshot> | undefined;
  // Bumped by invalidate(): a load that started before a change must not be kept after it.
  let generation = 0;
  // On Node this process is the only writer, so a snapshot stays valid until it invalidates it.
  const trustLocal = deps.notifier !== undefined;
  return {
    bumpStatement: bumpCatalogVersion,
    invalidate() {
      snapshot = undefined;
      loading = undefined;
      generation++;
    },
    async get() {
      if (snapshot && trustLocal) return snapshot;
      const version = await readVersion(deps.db);
      if (snapshot && snapshot.version === version) return snapshot;
      const started = generation;
      loading ??= load(deps.db, version);
      const pending = loading;
      const loaded = await pending;
      if (loading === pending) loading = undefined;
      if (generation === started) snapshot = loaded;
      return loaded;
    },
  };
}

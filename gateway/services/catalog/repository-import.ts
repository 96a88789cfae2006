/**
 * Adding a repository: all or nothing, without interactive transactions.
 *
 * D1 has no transaction that spans several round trips and caps the size of one batch, so a
 * repository of a thousand revisions cannot be written in one atomic step. Instead an import
 * (this add, and the refresh in repository-refresh.ts):
 *  1. parses and checks everything first (bad input writes nothing);
 *  2. inserts a staging repository row with a negative priority, which the catalog and the
 *     list ignore — for an add it already carries the final name, so the unique name index
 *     turns a concurrent add of the same name into a clean 409;
 *  3. writes the revisions under the staging id in chunked batches (revision-writer.ts);
 *  4. commits in ONE final batch, which also bumps the catalog version and writes the audit
 *     entry: an add gives the staging row its place in the priority order; a refresh moves the
 *     new revisions onto the repository's own id in place of the old ones.
 * Any failure before the commit deletes the staging row and its rows; if the process dies
 * instead, the next import collects staging rows older than ABANDONED_IMPORT_MS.
 */
import { eq } from "drizzle-orm";
import type { ImportFailure } from "../../../universe/import/result.js";
import { requireUser } from "../../auth/principal.js";
import { newId } from "../../auth/secrets.js";
import { BUNDLES_REPOSITORY_NAME, type RepositoryImport } from "../../contract/catalog.js";
import { repositories } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { conflict } from "../../errors.js";
import { auditStatement } from "../audit.js";
import {
  assertAnyGood,
  assertNameFree,
  assertWritten,
  discardStaging,
  importReport,
  loadSource,
} from "./import-steps.js";
import {
  collectAbandonedImports,
  listRepositoryRows,
  placeAt,
  type RepositoryRow,
  renumberStatements,
  STAGING_PRIORITY,
} from "./repository-rows.js";
import type { RepositorySource } from "./repository-source.js";
import { writeRevisions } from "./revision-writer.js";

export interface AddRepositoryInput {
  name: string;
  /** Position in the priority order; the end when omitted. */
  index?: number | undefined;
  source: RepositorySource;
}

/**
 * Adds a repository from an upload or a URL; admin only. Revisions that fail are reported, not
 * imported; the rest go in together or not at all.
 * @example await addRepository(ctx, { name: "universe", source: { kind: "index", json } })
 */
export async function addRepository(ctx: Ctx, input: AddRepositoryInput): Promise<RepositoryImport> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  if (input.name === BUNDLES_REPOSITORY_NAME) {
    throw conflict(
      `the name ${BUNDLES_REPOSITORY_NAME} is reserved for the repository that published bundles go into; choose another name`,
      "REPOSITORY_NAME_RESERVED",
    );
  }
  await collectAbandonedImports(db, clock.now());
  await assertNameFree(ctx, input.name);
  const loaded = await loadSource(ctx, input.source);
  assertAnyGood(loaded);

  const now = clock.now();
  const staging: RepositoryRow = {
    id: newId("rp_"),
    name: input.name,
    uri: loaded.uri,
    kind: loaded.kind,
    priority: STAGING_PRIORITY,
    createdAt: now,
    importedAt: null,
  };
  try {
    await db.insert(repositories).values(staging);
  } catch (e) {
    await assertNameFree(ctx, input.name); // lost a race for the name: say so with a 409
    throw e;
  }

  let written: number;
  let tooLarge: ImportFailure[];
  let committed: RepositoryRow;
  try {
    ({ written, failed: tooLarge } = await writeRevisions(db, staging.id, loaded.result.packages, now));
    assertWritten(written, loaded, tooLarge);
    const ordered = placeAt(await listRepositoryRows(db), staging, input.index ?? Number.MAX_SAFE_INTEGER);
    committed = { ...staging, importedAt: now, priority: ordered.indexOf(staging) };
    await db.batch([
      db.update(repositories).set({ importedAt: now }).where(eq(repositories.id, staging.id)),
      ...renumberStatements(db, ordered),
      ctx.catalog.bumpStatement(db),
      auditStatement(db, user, now, {
        action: "repository.add",
        target: staging.id,
        details: { name: staging.name, kind: staging.kind, uri: staging.uri, imported: written },
      }),
    ]);
  } catch (e) {
    await discardStaging(ctx, staging.id);
    throw e;
  }
  ctx.catalog.invalidate();
  return importReport(committed, written, loaded, tooLarge);
}

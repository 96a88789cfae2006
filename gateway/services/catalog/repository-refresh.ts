/**
 * Refreshing a repository: re-import it from a new upload, or from its URL, replacing its
 * revisions all at once. It follows the staging scheme of repository-import.ts; the commit
 * batch deletes the old revisions and moves the staged ones onto the repository's own id, so
 * the repository keeps its id, name and place, and readers see the old or the new content,
 * never a mix.
 */
import { eq } from "drizzle-orm";
import type { ImportFailure } from "../../../universe/import/result.js";
import { requireUser } from "../../auth/principal.js";
import { newId } from "../../auth/secrets.js";
import type { RepositoryImport } from "../../contract/catalog.js";
import { packageRevisions, repositories } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { ApiError, badRequest, notFound } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { assertAnyGood, assertWritten, discardStaging, importReport, loadSource } from "./import-steps.js";
import {
  collectAbandonedImports,
  dropRepositoryStatements,
  getRepositoryRow,
  type RepositoryRow,
  STAGING_PRIORITY,
} from "./repository-rows.js";
import type { RepositorySource } from "./repository-source.js";
import { writeRevisions } from "./revision-writer.js";

async function stillExists(ctx: Ctx, id: string): Promise<boolean> {
  const [row] = await ctx.deps.db
    .select({ id: repositories.id })
    .from(repositories)
    .where(eq(repositories.id, id));
  return row !== undefined;
}

/** Where a refresh reads from: the upload when there is one, else the repository's URL. */
function sourceFor(target: RepositoryRow, upload: RepositorySource | undefined): RepositorySource {
  if (target.kind === "bundles") {
    throw badRequest(
      `repository ${target.name} holds published bundles and has no source to refresh from; publish new versions instead`,
      "REPOSITORY_NOT_REFRESHABLE",
    );
  }
  if (upload) return upload;
  if (target.uri) return { kind: "url", url: target.uri };
  throw badRequest(
    `repository ${target.name} was uploaded: send the new index (application/json) or tree (.tgz, application/gzip) in the body to refresh it`,
    "REFRESH_NEEDS_UPLOAD",
  );
}

/**
 * Re-imports a repository; admin only. A URL it was added from is kept when it is refreshed
 * from an upload, so a later refresh without a body fetches from the URL again.
 */
export async function refreshRepository(
  ctx: Ctx,
  idOrName: string,
  upload?: RepositorySource,
): Promise<RepositoryImport> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const target = await getRepositoryRow(db, idOrName);
  const loaded = await loadSource(ctx, sourceFor(target, upload));
  assertAnyGood(loaded);

  const now = clock.now();
  await collectAbandonedImports(db, now);
  const stagingId = newId("rp_");
  await db.insert(repositories).values({
    id: stagingId,
    // Names are unique; `~` never appears in a real repository name, so this cannot collide.
    name: `${target.name}~refresh~${stagingId}`,
    uri: loaded.uri,
    kind: loaded.kind,
    priority: STAGING_PRIORITY,
    createdAt: now,
    importedAt: null,
  });

  const refreshed: RepositoryRow = {
    ...target,
    kind: loaded.kind,
    uri: loaded.uri ?? target.uri,
    importedAt: now,
  };
  let written: number;
  let tooLarge: ImportFailure[];
  try {
    ({ written, failed: tooLarge } = await writeRevisions(db, stagingId, loaded.result.packages, now));
    assertWritten(written, loaded, tooLarge);
    const [updated] = await db.batch([
      db
        .update(repositories)
        .set({ kind: refreshed.kind, uri: refreshed.uri, importedAt: now })
        .where(eq(repositories.id, target.id))
        .returning({ id: repositories.id }),
      db.delete(packageRevisions).where(eq(packageRevisions.repositoryId, target.id)),
      // Moving rows onto a repository deleted meanwhile fails its foreign key: the batch rolls back.
      db
        .update(packageRevisions)
        .set({ repositoryId: target.id })
        .where(eq(packageRevisions.repositoryId, stagingId)),
      db.delete(repositories).where(eq(repositories.id, stagingId)),
      ctx.catalog.bumpStatement(db),
      auditStatement(db, user, now, {
        action: "repository.refresh",
        target: target.id,
        details: { name: target.name, kind: refreshed.kind, uri: refreshed.uri, imported: written },
      }),
    ]);
    if (updated.length === 0) {
      // Deleted meanwhile on a database that does not enforce foreign keys: drop what moved.
      await db.batch([...dropRepositoryStatements(db, target.id)]);
      throw notFound(`repository ${idOrName}`);
    }
  } catch (e) {
    await discardStaging(ctx, stagingId);
    // A delete that won the race makes the commit fail on its foreign key: that is a 404.
    if (!(e instanceof ApiError) && !(await stillExists(ctx, target.id)))
      throw notFound(`repository ${idOrName}`);
    throw e;
  }
  ctx.catalog.invalidate();
  return importReport(refreshed, written, loaded, tooLarge);
}

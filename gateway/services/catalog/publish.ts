/**
 * Publishing a Flotilla bundle into the bundles repository ("local", created on the first
 * publish). A bundle's identity is its digest, and a published version never changes: the same
 * bundle again is an idempotent 200, another bundle with the same name and version a 409 that
 * names both digests, and neither writes anything.
 *
 * Races are settled by keys, not locks: a bundle revision's id is derived from its name and
 * version (two publishers of one version collide on the primary key), and releaseVersion is
 * the next integer for the package (two publishers of different versions collide on the unique
 * (repository, name, releaseVersion) index and the loser takes the next number).
 */
import { and, eq, max } from "drizzle-orm";
import { readBundle } from "../../../universe/import/bundle.js";
import { requireUser } from "../../auth/principal.js";
import { BUNDLES_REPOSITORY_NAME, type PublishResult } from "../../contract/catalog.js";
import { packageRevisions, repositories } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import type { Ctx } from "../../env.js";
import { ApiError, conflict } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { dropUnreferencedBundle, storeBundle } from "./bundle-store.js";
import { nextPriority, type RepositoryRow } from "./repository-rows.js";
import { revisionRow } from "./revision-writer.js";

/** The bundles repository's id is fixed, so creating it can ride in the publish batch. */
export const BUNDLES_REPOSITORY_ID = "rp_local";
const ATTEMPTS = 4;

const bundleRevisionId = (name: string, version: string) => `pb_${name}@${version}`;

async function publishedVersion(db: Db, name: string, version: string) {
  const [row] = await db
    .select({ digest: packageRevisions.digest, releaseVersion: packageRevisions.releaseVersion })
    .from(packageRevisions)
    .where(eq(packageRevisions.id, bundleRevisionId(name, version)))
    .limit(1);
  return row;
}

async function nextReleaseVersion(db: Db, name: string): Promise<number> {
  const [row] = await db
    .select({ top: max(packageRevisions.releaseVersion) })
    .from(packageRevisions)
    .where(and(eq(packageRevisions.repositoryId, BUNDLES_REPOSITORY_ID), eq(packageRevisions.name, name)));
  return row?.top === null || row?.top === undefined ? 0 : row.top + 1;
}

/**
 * Publishes the bundle; operator and above. Returns the revision and whether it is new.
 * Throws 400 for a bad or hostile archive, 413 for one over the bundle limits, 409 VERSION_EXISTS.
 */
export async function publishBundle(ctx: Ctx, archive: Uint8Array): Promise<PublishResult> {
  const user = requireUser(ctx.principal, "operator");
  const { db, clock } = ctx.deps;
  const { definition, digest } = await readBundle(archive);
  const { name, version } = definition.metadata;

  const repo = await bundlesRepository(db);
  const now = clock.now();
  const repoRow: RepositoryRow = repo ?? {
    id: BUNDLES_REPOSITORY_ID,
    name: BUNDLES_REPOSITORY_NAME,
    uri: null,
    kind: "bundles",
    priority: await nextPriority(db),
    createdAt: now,
    importedAt: now,
  };
  const result = (r: RepositoryRow, releaseVersion: number, created: boolean): PublishResult => ({
    name,
    version,
    releaseVersion,
    digest,
    repository: { id: r.id, name: r.name, uri: r.uri, index: r.priority },
    created,
  });
  /** The outcome when the version is already published: idempotent, or 409. */
  const settled = async (): Promise<PublishResult | undefined> => {
    const existing = await publishedVersion(db, name, version);
    if (!existing) return undefined;
    if (existing.digest !== digest) {
      throw conflict(
        `${name} ${version} is already published with digest ${existing.digest}; this bundle is ${digest}. A published version never changes: publish it under a new version`,
        "VERSION_EXISTS",
        { package: name, version, publishedDigest: existing.digest, digest },
      );
    }
    return result((await bundlesRepository(db)) ?? repoRow, existing.releaseVersion, false);
  };

  const before = await settled();
  if (before) return before;
  const sized = revisionRow(definition, BUNDLES_REPOSITORY_ID, now);
  if ("failure" in sized) throw new ApiError("PAYLOAD_TOO_LARGE", sized.failure);

  await storeBundle(db, digest, archive);
  try {
    for (let attempt = 1; ; attempt++) {
      const releaseVersion = await nextReleaseVersion(db, name);
      const made = revisionRow({ ...definition, releaseVersion }, BUNDLES_REPOSITORY_ID, now, {
        id: bundleRevisionId(name, version),
        digest,
      });
      if ("failure" in made) throw new ApiError("PAYLOAD_TOO_LARGE", made.failure);
      try {
        await db.batch([
          db.insert(repositories).values(repoRow).onConflictDoNothing(),
          db.insert(packageRevisions).values(made.row),
          ctx.catalog.bumpStatement(db),
          auditStatement(db, user, now, {
            action: "package.publish",
            target: made.row.id ?? "",
            details: { name, version, releaseVersion, digest },
          }),
        ]);
        ctx.catalog.invalidate();
        return result((await bundlesRepository(db)) ?? repoRow, releaseVersion, true);
      } catch (e) {
        // Someone published this version meanwhile (same bundle: fine; another: 409), or took
        // this releaseVersion for another version of the package (try the next number).
        const after = await settled();
        if (after) return after;
        if (attempt >= ATTEMPTS) throw e;
      }
    }
  } catch (e) {
    await db.batch([dropUnreferencedBundle(db, digest)]).catch(() => {});
    throw e;
  }
}

async function bundlesRepository(db: Db): Promise<RepositoryRow | undefined> {
  const [row] = await db.select().from(repositories).where(eq(repositories.id, BUNDLES_REPOSITORY_ID));
  return row;
}

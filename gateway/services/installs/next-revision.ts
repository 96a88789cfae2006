/**
 * Writes revision N+1 of an install (an update or a rollback) with optimistic concurrency:
 * the (install_id, revision) primary key lets only one of two concurrent writers insert N+1;
 * the other's whole batch fails and it is told to retry. The installs row moves to N+1 in the
 * same batch, guarded by `current_revision = N`.
 */
import { and, eq } from "drizzle-orm";
import { actorOf, type UserPrincipal } from "../../auth/principal.js";
import type { InstallChange } from "../../contract/installs.js";
import { installRevisions, installs } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { conflict, notFound } from "../../errors.js";
import { type AuditEntry, auditStatement } from "../audit.js";
import type { ClusterRow } from "../clusters/find.js";
import { revisionById } from "./catalog-lookup.js";
import { commitClusterChange } from "./commit.js";
import { type CurrentInstall, clusterInstalls, type RevisionRow, revisionsOf } from "./rows.js";
import { installDetail } from "./views.js";

/** What a new revision is made of; the rest (number, time, author) is filled in here. */
export type RevisionContent = Omit<RevisionRow, "installId" | "revision" | "createdAt" | "createdBy">;

export async function writeNextRevision(
  ctx: Ctx,
  user: UserPrincipal,
  cluster: ClusterRow,
  current: CurrentInstall,
  content: RevisionContent,
  audit: AuditEntry,
): Promise<InstallChange> {
  const { db, clock } = ctx.deps;
  const { install } = current;
  const now = clock.now();
  const next = install.currentRevision + 1;
  const row: RevisionRow = {
    ...content,
    installId: install.id,
    revision: next,
    createdAt: now,
    createdBy: actorOf(user),
  };
  let desiredRevision: number;
  try {
    ({ desiredRevision } = await commitClusterChange(ctx.deps, cluster.id, [
      db.insert(installRevisions).values(row),
      db
        .update(installs)
        .set({ currentRevision: next, updatedAt: now })
        .where(and(eq(installs.id, install.id), eq(installs.currentRevision, install.currentRevision))),
      auditStatement(db, user, now, {
        ...audit,
        details: { clusterId: cluster.id, appId: install.appId, revision: next, ...audit.details },
      }),
    ]));
  } catch (e) {
    const [still] = await db.select().from(installs).where(eq(installs.id, install.id));
    if (!still)
      throw notFound(`install ${install.appId} on cluster ${cluster.name} (it was uninstalled meanwhile)`);
    if (still.currentRevision !== install.currentRevision) {
      throw conflict(
        `install ${install.appId} changed concurrently (now at revision ${still.currentRevision}); retry`,
        "CONCURRENT_CHANGE",
        { appId: install.appId, revision: still.currentRevision },
      );
    }
    const [taken] = await db
      .select({ revision: installRevisions.revision })
      .from(installRevisions)
      .where(and(eq(installRevisions.installId, install.id), eq(installRevisions.revision, next)));
    if (taken) {
      throw conflict(`install ${install.appId} changed concurrently; retry`, "CONCURRENT_CHANGE", {
        appId: install.appId,
        revision: next,
      });
    }
    throw e;
  }
  const updated: CurrentInstall = {
    install: { ...install, currentRevision: next, updatedAt: now },
    revision: row,
  };
  const [history, others, snapshot] = await Promise.all([
    revisionsOf(db, install.id),
    clusterInstalls(db, cluster.id),
    ctx.catalog.get(),
  ]);
  const def = revisionById(snapshot, row.packageRevisionId)?.definition;
  return {
    ...installDetail(updated, { history, others, postInstallNotes: def?.metadata.postInstallNotes ?? null }),
    desiredRevision,
  };
}

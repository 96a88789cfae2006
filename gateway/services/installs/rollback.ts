/**
 * Rolling an install back: a NEW revision N+1 whose version, options and plan are exactly those
 * of an earlier revision. History is never rewritten and the cluster's desired-state revision
 * only moves forward, so agents see a rollback as one more change. upgradesFrom/downgradesTo are
 * not consulted: the restored state is one the cluster already ran.
 */
import { and, eq } from "drizzle-orm";
import { requireUser } from "../../auth/principal.js";
import type { InstallChange } from "../../contract/installs.js";
import { installRevisions } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { conflict, notFound } from "../../errors.js";
import { getClusterFor } from "../clusters/find.js";
import { assertNoIdClash } from "./app-ids.js";
import { revisionById } from "./catalog-lookup.js";
import { assertDependentsSatisfied, installedDependencies } from "./dependencies.js";
import { writeNextRevision } from "./next-revision.js";
import {
  type CurrentInstall,
  clusterInstalls,
  findInstall,
  occupantsOf,
  planOf,
  type RevisionRow,
} from "./rows.js";

/** The installs the restored revision relies on, as they are on the cluster now. */
function dependenciesNow(
  subject: string,
  restored: RevisionRow,
  deps: Record<string, string> | undefined,
  others: CurrentInstall[],
) {
  if (deps) return installedDependencies(subject, deps, others);
  // The catalog no longer has that revision: hold on to the very installs it relied on.
  const present = new Set(others.map((o) => o.install.id));
  const gone = restored.dependsOn.filter((id) => !present.has(id));
  if (gone.length > 0) {
    throw conflict(
      `${subject} relied on installs that are gone (${gone.join(", ")}); reinstall its dependencies first`,
      "DEPENDENCY_NOT_INSTALLED",
      { missing: gone },
    );
  }
  return restored.dependsOn;
}

/** `POST /v1/clusters/{cluster}/installs/{appId}/rollback` (operator). */
export async function rollbackInstall(
  ctx: Ctx,
  clusterRef: string,
  appId: string,
  toRevision: number,
): Promise<InstallChange> {
  const user = requireUser(ctx.principal, "operator");
  const { db } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const current = await findInstall(db, cluster, appId);
  const { install } = current;
  if (toRevision === install.currentRevision) {
    throw conflict(
      `${install.appId} is at revision ${toRevision} already; nothing to roll back`,
      "ALREADY_AT_REVISION",
    );
  }
  const [restored] = await db
    .select()
    .from(installRevisions)
    .where(and(eq(installRevisions.installId, install.id), eq(installRevisions.revision, toRevision)));
  if (!restored)
    throw notFound(
      `revision ${toRevision} of install ${install.appId} (it has revisions 1 to ${install.currentRevision})`,
    );
  const [all, snapshot] = await Promise.all([clusterInstalls(db, cluster.id), ctx.catalog.get()]);
  const others = all.filter((o) => o.install.id !== install.id);
  assertNoIdClash(install.appId, planOf(restored), occupantsOf(others));
  const subject = `[${install.packageName}] ${restored.packageVersion}`;
  const def = revisionById(snapshot, restored.packageRevisionId)?.definition;
  const deps = def ? (def.metadata.dependencies ?? {}) : undefined;
  const dependsOn = dependenciesNow(subject, restored, deps, others);
  assertDependentsSatisfied(snapshot, install, restored.packageVersion, others);

  return writeNextRevision(
    ctx,
    user,
    cluster,
    current,
    {
      packageVersion: restored.packageVersion,
      releaseVersion: restored.releaseVersion,
      packageRevisionId: restored.packageRevisionId,
      userOptions: restored.userOptions,
      resolvedOptions: restored.resolvedOptions,
      plan: restored.plan,
      reason: "rollback",
      dependsOn,
      restoredRevision: toRevision,
    },
    {
      action: "install.rollback",
      target: install.id,
      details: {
        package: install.packageName,
        from: current.revision.packageVersion,
        to: restored.packageVersion,
        toRevision,
      },
    },
  );
}

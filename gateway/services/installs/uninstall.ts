/**
 * Uninstalling: the install and all its revisions go in one batch with the audit entry and the
 * desired-revision bump. An install that another install on the cluster depends on is kept
 * (409 REQUIRED_BY naming them) unless the caller forces it.
 */
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { requireUser } from "../../auth/principal.js";
import type { UninstallResultSchema } from "../../contract/installs.js";
import { installRevisions, installs } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { conflict } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { getClusterFor } from "../clusters/find.js";
import { revisionById } from "./catalog-lookup.js";
import { commitClusterChange } from "./commit.js";
import { clusterInstalls, findInstall } from "./rows.js";

/** `DELETE /v1/clusters/{cluster}/installs/{appId}` (operator); `force` ignores dependents. */
export async function uninstall(
  ctx: Ctx,
  clusterRef: string,
  appId: string,
  force: boolean,
): Promise<z.infer<typeof UninstallResultSchema>> {
  const user = requireUser(ctx.principal, "operator");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const { install, revision } = await findInstall(db, cluster, appId);
  const dependents = (await clusterInstalls(db, cluster.id)).filter(
    (o) => o.install.id !== install.id && o.revision.dependsOn.includes(install.id),
  );
  const requiredBy = dependents.map((d) => d.install.appId);
  if (requiredBy.length > 0 && !force) {
    throw conflict(
      `${install.appId} is required by ${requiredBy.join(", ")} on cluster ${cluster.name}; uninstall those first, or pass ?force=true to remove it anyway`,
      "REQUIRED_BY",
      { appId: install.appId, requiredBy },
    );
  }
  const now = clock.now();
  const { desiredRevision } = await commitClusterChange(ctx.deps, cluster.id, [
    db.delete(installRevisions).where(eq(installRevisions.installId, install.id)),
    db.delete(installs).where(eq(installs.id, install.id)),
    auditStatement(db, user, now, {
      action: "install.delete",
      target: install.id,
      details: {
        clusterId: cluster.id,
        appId: install.appId,
        package: install.packageName,
        version: revision.packageVersion,
        revision: install.currentRevision,
        ...(requiredBy.length > 0 && { forced: true, requiredBy }),
      },
    }),
  ]);
  const def = revisionById(await ctx.catalog.get(), revision.packageRevisionId)?.definition;
  return {
    appId: install.appId,
    package: install.packageName,
    version: revision.packageVersion,
    desiredRevision,
    postUninstallNotes: def?.metadata.postUninstallNotes ?? null,
  };
}

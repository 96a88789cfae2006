/** Listing and describing a cluster's installs, and an install's history (viewer). */
import type { z } from "zod";
import { requireUser } from "../../auth/principal.js";
import type { HistorySchema, InstallDetail, InstallSummary } from "../../contract/installs.js";
import type { Ctx } from "../../env.js";
import { getClusterFor } from "../clusters/find.js";
import { revisionById } from "./catalog-lookup.js";
import { clusterInstalls, findInstall, revisionsOf } from "./rows.js";
import { installDetail, installSummary, revisionSummary } from "./views.js";

export async function listInstalls(ctx: Ctx, clusterRef: string): Promise<InstallSummary[]> {
  const user = requireUser(ctx.principal, "viewer");
  const cluster = await getClusterFor(ctx.deps.db, user, clusterRef);
  return (await clusterInstalls(ctx.deps.db, cluster.id)).map(installSummary);
}

/** The install with its options (user and resolved apart, as Cosmos kept them), plan and history. */
export async function describeInstall(ctx: Ctx, clusterRef: string, appId: string): Promise<InstallDetail> {
  const user = requireUser(ctx.principal, "viewer");
  const { db } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const current = await findInstall(db, cluster, appId);
  const [history, others, snapshot] = await Promise.all([
    revisionsOf(db, current.install.id),
    clusterInstalls(db, cluster.id),
    ctx.catalog.get(),
  ]);
  const def = revisionById(snapshot, current.revision.packageRevisionId)?.definition;
  return installDetail(current, {
    history,
    others,
    postInstallNotes: def?.metadata.postInstallNotes ?? null,
  });
}

/** Every revision: why, who, when, which version and which user options. */
export async function installHistory(
  ctx: Ctx,
  clusterRef: string,
  appId: string,
): Promise<z.infer<typeof HistorySchema>> {
  const user = requireUser(ctx.principal, "viewer");
  const { db } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const { install } = await findInstall(db, cluster, appId);
  const revisions = await revisionsOf(db, install.id);
  return {
    appId: install.appId,
    currentRevision: install.currentRevision,
    revisions: revisions.map((r) => ({
      ...revisionSummary(r),
      releaseVersion: r.releaseVersion,
      userOptions: r.userOptions,
      current: r.revision === install.currentRevision,
    })),
  };
}

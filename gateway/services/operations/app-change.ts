/**
 * Changing one app of an install's plan as an operator action (scale, restart): a new install
 * revision N+1 whose plan is the current one with that app replaced — package version, options
 * and dependencies unchanged — written by the installs service's writeNextRevision (optimistic
 * concurrency on the revision, audit entry and desired-revision bump in one batch). A later
 * `update` re-renders the plan from the package and options, as Cosmos's did.
 */
import type { App } from "../../../universe/models/app.js";
import type { UserPrincipal } from "../../auth/principal.js";
import type { ServiceChange } from "../../contract/operations.js";
import type { Db } from "../../deps.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import type { AuditEntry } from "../audit.js";
import type { ClusterRow } from "../clusters/find.js";
import { canonicalAppId } from "../installs/app-ids.js";
import { writeNextRevision } from "../installs/next-revision.js";
import { type CurrentInstall, clusterInstalls, planOf, storedPlan } from "../installs/rows.js";

/** An app of the cluster and the install whose plan has it. */
export interface AppInPlan {
  current: CurrentInstall;
  app: App;
  /** Its position in the plan's apps. */
  index: number;
}

/** The app `appId` (any spelling Marathon accepts) of the cluster's plans, or 404. */
export async function findPlanApp(db: Db, cluster: ClusterRow, appId: string): Promise<AppInPlan> {
  const id = canonicalAppId(appId);
  for (const current of await clusterInstalls(db, cluster.id)) {
    const apps = planOf(current.revision).apps ?? [];
    const index = apps.findIndex((a) => canonicalAppId(a.id) === id);
    if (index >= 0) return { current, app: apps[index]!, index };
  }
  throw notFound(`app ${id} on cluster ${cluster.name} (its apps are listed by GET …/status)`);
}

/** Writes the install's next revision with `app` in place of the found one. */
export async function writeAppChange(
  ctx: Ctx,
  user: UserPrincipal,
  cluster: ClusterRow,
  found: AppInPlan,
  app: App,
  reason: "scale" | "restart",
  audit: AuditEntry,
): Promise<{ install: ServiceChange["install"]; desiredRevision: number }> {
  const { revision } = found.current;
  const plan = planOf(revision);
  const next = { ...plan, apps: plan.apps.map((a, i) => (i === found.index ? app : a)) };
  const change = await writeNextRevision(
    ctx,
    user,
    cluster,
    found.current,
    {
      packageVersion: revision.packageVersion,
      releaseVersion: revision.releaseVersion,
      packageRevisionId: revision.packageRevisionId,
      userOptions: revision.userOptions,
      resolvedOptions: revision.resolvedOptions,
      plan: storedPlan(next),
      reason,
      dependsOn: revision.dependsOn,
      restoredRevision: null,
    },
    audit,
  );
  return {
    install: { id: change.id, appId: change.appId, revision: change.revision },
    desiredRevision: change.desiredRevision,
  };
}

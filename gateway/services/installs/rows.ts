/**
 * Reading installs with the revision now in force. Every install read goes through here, so
 * "the current state of an install" means one thing: the installs row joined with its
 * install_revisions row at `current_revision`.
 */
import { and, asc, eq } from "drizzle-orm";
import type { InstallPlan } from "../../../universe/models/plan.js";
import { installRevisions, installs } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import { notFound } from "../../errors.js";
import { canonicalAppId, type Occupant } from "./app-ids.js";

export type InstallRow = typeof installs.$inferSelect;
export type RevisionRow = typeof installRevisions.$inferSelect;

/** An install and the revision now in force. */
export interface CurrentInstall {
  install: InstallRow;
  revision: RevisionRow;
}

const currentJoin = and(
  eq(installRevisions.installId, installs.id),
  eq(installRevisions.revision, installs.currentRevision),
);

/** Every install of the cluster with its current revision, by app id. */
export async function clusterInstalls(db: Db, clusterId: string): Promise<CurrentInstall[]> {
  return db
    .select({ install: installs, revision: installRevisions })
    .from(installs)
    .innerJoin(installRevisions, currentJoin)
    .where(eq(installs.clusterId, clusterId))
    .orderBy(asc(installs.appId));
}

/** The install `appId` (any spelling Marathon accepts) of the cluster, or 404. */
export async function findInstall(
  db: Db,
  cluster: { id: string; name: string },
  appId: string,
): Promise<CurrentInstall> {
  const id = canonicalAppId(appId);
  const [row] = await db
    .select({ install: installs, revision: installRevisions })
    .from(installs)
    .innerJoin(installRevisions, currentJoin)
    .where(and(eq(installs.clusterId, cluster.id), eq(installs.appId, id)))
    .limit(1);
  if (!row) throw notFound(`install ${id} on cluster ${cluster.name} (list them with GET …/installs)`);
  return row;
}

/** The stored plan, typed: the JSON column was written from an InstallPlan. */
export const planOf = (r: RevisionRow): InstallPlan => r.plan as unknown as InstallPlan;

/** An InstallPlan as its JSON column holds it. */
export const storedPlan = (plan: InstallPlan): RevisionRow["plan"] => plan as unknown as RevisionRow["plan"];

/** What each install occupies in the desired state, for assertNoIdClash. */
export const occupantsOf = (list: readonly CurrentInstall[]): Occupant[] =>
  list.map((o) => ({ appId: o.install.appId, plan: planOf(o.revision) }));

/** Every revision of an install, oldest first. */
export const revisionsOf = (db: Db, installId: string): Promise<RevisionRow[]> =>
  db
    .select()
    .from(installRevisions)
    .where(eq(installRevisions.installId, installId))
    .orderBy(asc(installRevisions.revision));

/**
 * The cluster's desired-state revision. Every change of what a cluster should run adds
 * `bumpDesiredRevision` to the same db.batch() as the change, then calls `announceRevision`
 * with the returned value so that long-polling agents (Node) wake at once. The revision only
 * moves forward.
 */
import { eq, sql } from "drizzle-orm";
import { clusters } from "../../db/schema.js";
import type { Db, Deps } from "../../deps.js";

export const bumpDesiredRevision = (db: Db, clusterId: string) =>
  db
    .update(clusters)
    .set({ desiredRevision: sql`${clusters.desiredRevision} + 1` })
    .where(eq(clusters.id, clusterId))
    .returning({ desiredRevision: clusters.desiredRevision });

/** Tells waiting polls (where the runtime has them) that the cluster moved to `revision`. */
export function announceRevision(deps: Deps, clusterId: string, revision: number | undefined): void {
  if (revision !== undefined) deps.notifier?.announce(clusterId, revision);
}

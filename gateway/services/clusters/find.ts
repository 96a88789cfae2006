/** Looks a cluster up by id or name, checking that the caller may see it. */
import { eq, or } from "drizzle-orm";
import { requireClusterAccess, type UserPrincipal } from "../../auth/principal.js";
import { clusters } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import { notFound } from "../../errors.js";

export type ClusterRow = typeof clusters.$inferSelect;

export async function findCluster(db: Db, idOrName: string): Promise<ClusterRow | undefined> {
  const [row] = await db
    .select()
    .from(clusters)
    .where(or(eq(clusters.id, idOrName), eq(clusters.name, idOrName)))
    .limit(1);
  return row;
}

/** The cluster, or 404; 403 when the caller's token is limited to other clusters. */
export async function getClusterFor(db: Db, principal: UserPrincipal, idOrName: string): Promise<ClusterRow> {
  const row = await findCluster(db, idOrName);
  if (!row) throw notFound(`cluster ${idOrName}`);
  requireClusterAccess(principal, row.id);
  return row;
}

/**
 * Every Cosmos request is made against one cluster's base URL: the caller must hold the role
 * the endpoint needs and may act on that cluster. Checked before anything else is read, so a
 * refused caller learns nothing about packages or installs.
 */
import { type Role, requireClusterAccess, requireUser, type UserPrincipal } from "../../auth/principal.js";
import type { Ctx } from "../../env.js";
import { type ClusterRow, findCluster } from "../clusters/find.js";
import { clusterNotFound } from "./errors.js";

/** The caller (with at least `role`) and the cluster of the base URL, by name or id. */
export async function cosmosCluster(
  ctx: Ctx,
  clusterRef: string,
  role: Role,
): Promise<{ user: UserPrincipal; cluster: ClusterRow }> {
  const user = requireUser(ctx.principal, role);
  const cluster = await findCluster(ctx.deps.db, clusterRef);
  if (!cluster) throw clusterNotFound(clusterRef);
  requireClusterAccess(user, cluster.id);
  return { user, cluster };
}

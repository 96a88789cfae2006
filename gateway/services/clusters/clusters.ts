/** Creating, listing, reading and deleting clusters. */
import { eq, inArray } from "drizzle-orm";
import { requireUser } from "../../auth/principal.js";
import { newId } from "../../auth/secrets.js";
import type { Cluster } from "../../contract/clusters.js";
import { agents, clusters } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { conflict } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { findCluster, getClusterFor } from "./find.js";
import { clusterView } from "./views.js";

export async function createCluster(
  ctx: Ctx,
  input: { name: string; labels: Record<string, string> },
): Promise<Cluster> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  if (await findCluster(db, input.name))
    throw conflict(`cluster ${input.name} already exists`, "CLUSTER_EXISTS");
  const now = clock.now();
  const row = {
    id: newId("cl_"),
    name: input.name,
    labels: input.labels,
    desiredRevision: 1,
    leaseEpoch: 0,
    createdAt: now,
  };
  try {
    await db.batch([
      db.insert(clusters).values(row),
      auditStatement(db, user, now, {
        action: "cluster.create",
        target: row.id,
        details: { name: row.name },
      }),
    ]);
  } catch (e) {
    // Two creators raced past the check above: the unique index decides, the loser gets 409.
    if (await findCluster(db, input.name))
      throw conflict(`cluster ${input.name} already exists`, "CLUSTER_EXISTS");
    throw e;
  }
  return clusterView({ ...row, leaseAgentId: null, leaseExpiresAt: null }, [], ctx);
}

export async function listClusters(ctx: Ctx): Promise<Cluster[]> {
  const user = requireUser(ctx.principal, "viewer");
  const { db } = ctx.deps;
  const rows = await db.select().from(clusters).orderBy(clusters.name);
  const visible = user.clusters === null ? rows : rows.filter((r) => user.clusters?.includes(r.id));
  if (visible.length === 0) return [];
  const agentRows = await db
    .select()
    .from(agents)
    .where(
      inArray(
        agents.clusterId,
        visible.map((r) => r.id),
      ),
    );
  return visible.map((r) =>
    clusterView(
      r,
      agentRows.filter((a) => a.clusterId === r.id),
      ctx,
    ),
  );
}

export async function getCluster(ctx: Ctx, idOrName: string): Promise<Cluster> {
  const user = requireUser(ctx.principal, "viewer");
  const row = await getClusterFor(ctx.deps.db, user, idOrName);
  const agentRows = await ctx.deps.db.select().from(agents).where(eq(agents.clusterId, row.id));
  return clusterView(row, agentRows, ctx);
}

/** Deletes the cluster and, by cascade, its tokens, agents, installs and status. */
export async function deleteCluster(ctx: Ctx, idOrName: string): Promise<void> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const row = await getClusterFor(db, user, idOrName);
  await db.batch([
    db.delete(clusters).where(eq(clusters.id, row.id)),
    auditStatement(db, user, clock.now(), {
      action: "cluster.delete",
      target: row.id,
      details: { name: row.name },
    }),
  ]);
  ctx.auth.forget((p) => p.kind === "agent" && p.clusterId === row.id);
}

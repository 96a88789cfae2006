/**
 * Join tokens of a cluster: short-lived, limited-use secrets (`fltj_…`) that an agent trades
 * for its own credential (services/agents/register.ts). Admin only: a join token admits a
 * machine into the cluster. The secret is returned once; revoked tokens stay listed.
 */
import { and, asc, eq } from "drizzle-orm";
import type { z } from "zod";
import { actorOf, requireUser } from "../../auth/principal.js";
import { hashSecret, newId, newSecret } from "../../auth/secrets.js";
import type {
  CreatedJoinTokenSchema,
  CreateJoinTokenBody,
  JoinTokenSchema,
} from "../../contract/clusters.js";
import { joinTokens } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { getClusterFor } from "../clusters/find.js";
import { joinTokenView } from "../clusters/views.js";

export async function createJoinToken(
  ctx: Ctx,
  clusterRef: string,
  input: z.infer<typeof CreateJoinTokenBody>,
): Promise<z.infer<typeof CreatedJoinTokenSchema>> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const secret = newSecret("join");
  const now = clock.now();
  const row: typeof joinTokens.$inferSelect = {
    id: newId("jt_"),
    clusterId: cluster.id,
    secretHash: await hashSecret(secret),
    expiresAt: now + input.ttlSeconds * 1000,
    maxUses: input.maxUses,
    uses: 0,
    revokedAt: null,
    createdAt: now,
    createdBy: actorOf(user),
  };
  await db.batch([
    db.insert(joinTokens).values(row),
    auditStatement(db, user, now, {
      action: "join-token.create",
      target: row.id,
      details: { clusterId: cluster.id, ttlSeconds: input.ttlSeconds, maxUses: input.maxUses },
    }),
  ]);
  return { ...joinTokenView(row), token: secret };
}

export async function listJoinTokens(
  ctx: Ctx,
  clusterRef: string,
): Promise<z.infer<typeof JoinTokenSchema>[]> {
  const user = requireUser(ctx.principal, "admin");
  const cluster = await getClusterFor(ctx.deps.db, user, clusterRef);
  const rows = await ctx.deps.db
    .select()
    .from(joinTokens)
    .where(eq(joinTokens.clusterId, cluster.id))
    .orderBy(asc(joinTokens.createdAt), asc(joinTokens.id));
  return rows.map(joinTokenView);
}

/** Revokes the token: registrations with it fail from now on. Agents it admitted stay. */
export async function revokeJoinToken(ctx: Ctx, clusterRef: string, id: string): Promise<void> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const [row] = await db
    .select()
    .from(joinTokens)
    .where(and(eq(joinTokens.id, id), eq(joinTokens.clusterId, cluster.id)))
    .limit(1);
  if (!row) throw notFound(`join token ${id} of cluster ${cluster.name}`);
  if (row.revokedAt !== null) return;
  const now = clock.now();
  await db.batch([
    db.update(joinTokens).set({ revokedAt: now }).where(eq(joinTokens.id, id)),
    auditStatement(db, user, now, {
      action: "join-token.revoke",
      target: id,
      details: { clusterId: cluster.id },
    }),
  ]);
}

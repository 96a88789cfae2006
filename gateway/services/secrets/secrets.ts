/**
 * The operator side of the cluster secret store: set (create or replace; admin), list (paths
 * and times, never values; operator) and delete (admin). Values are sealed before they reach
 * the database and are never returned; the audit log records paths, not values. A changed
 * value reaches a task the next time it is launched (restart the service to roll it out).
 */
import { and, asc, eq } from "drizzle-orm";
import { actorOf, requireUser } from "../../auth/principal.js";
import type { Secret } from "../../contract/secrets.js";
import { secrets } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { getClusterFor } from "../clusters/find.js";
import { iso } from "../clusters/views.js";
import { secretBoxOf } from "./store-key.js";

type SecretRow = typeof secrets.$inferSelect;

const view = (row: Pick<SecretRow, "path" | "createdAt" | "updatedAt" | "updatedBy">): Secret => ({
  path: row.path,
  createdAt: iso(row.createdAt),
  updatedAt: iso(row.updatedAt),
  updatedBy: row.updatedBy,
});

const target = (clusterId: string, path: string) => `${clusterId}/secrets/${path}`;

/** Creates or replaces the secret at `path`; says which it was. */
export async function setSecret(
  ctx: Ctx,
  clusterRef: string,
  path: string,
  value: string,
): Promise<Secret & { created: boolean }> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const box = secretBoxOf(ctx.deps);
  const [existing] = await db
    .select({ createdAt: secrets.createdAt })
    .from(secrets)
    .where(and(eq(secrets.clusterId, cluster.id), eq(secrets.path, path)))
    .limit(1);
  const sealed = await box.seal(value, { clusterId: cluster.id, path });
  const now = clock.now();
  const actor = actorOf(user);
  const changed = {
    ciphertext: sealed.ciphertext,
    iv: sealed.iv,
    keyId: sealed.keyId,
    updatedAt: now,
    updatedBy: actor,
  };
  await db.batch([
    db
      .insert(secrets)
      .values({ clusterId: cluster.id, path, createdAt: now, ...changed })
      .onConflictDoUpdate({ target: [secrets.clusterId, secrets.path], set: changed }),
    auditStatement(db, user, now, {
      action: existing ? "secret.replace" : "secret.create",
      target: target(cluster.id, path),
      details: { clusterId: cluster.id, path },
    }),
  ]);
  return {
    ...view({ path, createdAt: existing?.createdAt ?? now, updatedAt: now, updatedBy: actor }),
    created: !existing,
  };
}

export async function listSecrets(ctx: Ctx, clusterRef: string): Promise<Secret[]> {
  const user = requireUser(ctx.principal, "operator");
  const cluster = await getClusterFor(ctx.deps.db, user, clusterRef);
  secretBoxOf(ctx.deps);
  const rows = await ctx.deps.db
    .select({
      path: secrets.path,
      createdAt: secrets.createdAt,
      updatedAt: secrets.updatedAt,
      updatedBy: secrets.updatedBy,
    })
    .from(secrets)
    .where(eq(secrets.clusterId, cluster.id))
    .orderBy(asc(secrets.path));
  return rows.map(view);
}

export async function deleteSecret(ctx: Ctx, clusterRef: string, path: string): Promise<void> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  secretBoxOf(ctx.deps);
  const where = and(eq(secrets.clusterId, cluster.id), eq(secrets.path, path));
  const [row] = await db.select({ path: secrets.path }).from(secrets).where(where).limit(1);
  if (!row) throw notFound(`secret ${path} of cluster ${cluster.name}`);
  const now = clock.now();
  await db.batch([
    db.delete(secrets).where(where),
    auditStatement(db, user, now, {
      action: "secret.delete",
      target: target(cluster.id, path),
      details: { clusterId: cluster.id, path },
    }),
  ]);
}

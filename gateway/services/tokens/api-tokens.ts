/**
 * API tokens of operators and scripts: created by an admin with a role and optionally a list
 * of clusters (given by id or name, stored as ids), listed without their secrets, revoked.
 * The secret (`flt_…`) is returned once, by create; only its SHA-256 is stored. An admin whose
 * own token is limited to some clusters can only mint tokens within those clusters, so a
 * limited token can never widen itself.
 */
import { asc, eq, or, sql } from "drizzle-orm";
import type { z } from "zod";
import { actorOf, requireClusterAccess, requireUser, type UserPrincipal } from "../../auth/principal.js";
import { hashSecret, newId, newSecret } from "../../auth/secrets.js";
import type { CreatedTokenSchema, CreateTokenBody, TokenSchema } from "../../contract/tokens.js";
import { apiTokens, clusters } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import { auditStatement } from "../audit.js";
import { iso } from "../clusters/views.js";

type Token = z.infer<typeof TokenSchema>;
type TokenRow = typeof apiTokens.$inferSelect;

const view = (row: TokenRow): Token => ({
  id: row.id,
  name: row.name,
  role: row.role,
  clusters: row.clusters,
  createdAt: iso(row.createdAt),
  createdBy: row.createdBy,
  revoked: row.revokedAt !== null,
});

/** Cluster ids for the given ids or names; 404 naming every unknown one, 403 outside the caller's. */
async function resolveClusters(db: Db, user: UserPrincipal, refs: string[]): Promise<string[]> {
  const list = JSON.stringify(refs);
  const rows = await db
    .select({ id: clusters.id, name: clusters.name })
    .from(clusters)
    .where(
      or(
        sql`${clusters.id} in (select value from json_each(${list}))`,
        sql`${clusters.name} in (select value from json_each(${list}))`,
      ),
    );
  const unknown = refs.filter((r) => !rows.some((c) => c.id === r || c.name === r));
  if (unknown.length > 0) throw notFound(`clusters ${unknown.join(", ")}`);
  for (const c of rows) requireClusterAccess(user, c.id);
  return [...new Set(rows.map((c) => c.id))].sort();
}

/** Whether a limited admin may see (and revoke) the token: only tokens within its own clusters. */
const visibleTo = (user: UserPrincipal, row: TokenRow) =>
  user.clusters === null || (row.clusters?.every((c) => user.clusters?.includes(c)) ?? false);

export async function createToken(
  ctx: Ctx,
  input: z.infer<typeof CreateTokenBody>,
): Promise<z.infer<typeof CreatedTokenSchema>> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const limitedTo = input.clusters ? await resolveClusters(db, user, input.clusters) : user.clusters;
  const secret = newSecret("api");
  const now = clock.now();
  const row: TokenRow = {
    id: newId("tok_"),
    name: input.name,
    secretHash: await hashSecret(secret),
    role: input.role,
    clusters: limitedTo,
    createdAt: now,
    createdBy: actorOf(user),
    revokedAt: null,
  };
  await db.batch([
    db.insert(apiTokens).values(row),
    auditStatement(db, user, now, {
      action: "token.create",
      target: row.id,
      details: { name: row.name, role: row.role, clusters: row.clusters },
    }),
  ]);
  return { ...view(row), token: secret };
}

export async function listTokens(ctx: Ctx): Promise<Token[]> {
  const user = requireUser(ctx.principal, "admin");
  const rows = await ctx.deps.db
    .select()
    .from(apiTokens)
    .orderBy(asc(apiTokens.createdAt), asc(apiTokens.id));
  return rows.filter((r) => visibleTo(user, r)).map(view);
}

/** Revokes the token at once (cached principals included); revoking twice is harmless. */
export async function revokeToken(ctx: Ctx, id: string): Promise<void> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const [row] = await db.select().from(apiTokens).where(eq(apiTokens.id, id)).limit(1);
  if (!row || !visibleTo(user, row)) throw notFound(`token ${id}`);
  if (row.revokedAt === null) {
    const now = clock.now();
    await db.batch([
      db.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, id)),
      auditStatement(db, user, now, { action: "token.revoke", target: id, details: { name: row.name } }),
    ]);
  }
  ctx.auth.forget((p) => p.kind === "user" && p.tokenId === id);
}

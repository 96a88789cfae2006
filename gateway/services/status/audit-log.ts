/**
 * Reading the audit log (admin): newest first, optionally about one cluster, paged with a
 * cursor. An entry is about a cluster when its target is the cluster's id or its details carry
 * `clusterId` (the convention every cluster-scoped change follows when it writes its entry).
 */
import { and, desc, eq, lt, or, type SQL, sql } from "drizzle-orm";
import type { z } from "zod";
import { requireClusterAccess, requireUser } from "../../auth/principal.js";
import type { AuditPageSchema, AuditQuery } from "../../contract/installs.js";
import { auditLog } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { ApiError, badRequest } from "../../errors.js";
import { findCluster } from "../clusters/find.js";
import { iso } from "../clusters/views.js";

// Entries written in one batch share their time; SQLite's rowid keeps them in insertion order.
const seq = sql<number>`rowid`;

/** Rows strictly older than `before`: a `next` cursor (`<ms>_<rowid>`) or an ISO 8601 time. */
function olderThan(before: string): SQL {
  const cursor = /^(\d{1,16})_(\d{1,16})$/.exec(before);
  if (cursor) {
    const at = Number(cursor[1]);
    return or(lt(auditLog.at, at), and(eq(auditLog.at, at), sql`rowid < ${Number(cursor[2])}`))!;
  }
  const ms = Date.parse(before);
  if (Number.isNaN(ms)) {
    throw badRequest(
      `before must be the "next" value of a previous page or an ISO 8601 time, got "${before}"`,
    );
  }
  return lt(auditLog.at, ms);
}

/** `GET /v1/audit` (admin). */
export async function listAudit(
  ctx: Ctx,
  query: z.infer<typeof AuditQuery>,
): Promise<z.infer<typeof AuditPageSchema>> {
  const user = requireUser(ctx.principal, "admin");
  const { db } = ctx.deps;
  const conditions: SQL[] = [];
  if (query.cluster !== undefined) {
    // A deleted cluster's history stays readable by its id.
    const clusterId = (await findCluster(db, query.cluster))?.id ?? query.cluster;
    requireClusterAccess(user, clusterId);
    conditions.push(
      or(
        eq(auditLog.target, clusterId),
        sql`json_extract(${auditLog.details}, '$.clusterId') = ${clusterId}`,
      )!,
    );
  } else if (user.clusters !== null) {
    throw new ApiError("FORBIDDEN", "this token is limited to some clusters: name one with ?cluster=");
  }
  if (query.before !== undefined) conditions.push(olderThan(query.before));
  const rows = await db
    .select({ entry: auditLog, seq })
    .from(auditLog)
    .where(conditions.length > 0 ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.at), desc(seq))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    entries: page.map(({ entry: r }) => ({
      id: r.id,
      at: iso(r.at),
      actor: r.actor,
      action: r.action,
      target: r.target,
      details: r.details,
    })),
    next: rows.length > query.limit && last ? `${last.entry.at}_${last.seq}` : null,
  };
}

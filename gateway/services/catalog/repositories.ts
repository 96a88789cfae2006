/**
 * Listing, showing, reordering and deleting repositories (adding and refreshing are in
 * repository-import.ts and repository-refresh.ts). Priorities stay dense (0, 1, 2, …), so a
 * repository's priority is its index in the list, as Cosmos numbered them.
 */
import { requireUser } from "../../auth/principal.js";
import type { Repository } from "../../contract/catalog.js";
import type { Ctx } from "../../env.js";
import { auditStatement } from "../audit.js";
import {
  dropRepositoryStatements,
  getRepositoryRow,
  listRepositoryRows,
  orphanChunksStatement,
  placeAt,
  renumberStatements,
  repositoryView,
  revisionCounts,
} from "./repository-rows.js";

/** Every repository in priority order; viewer and above (any cluster limit). */
export async function listRepositories(ctx: Ctx): Promise<Repository[]> {
  requireUser(ctx.principal, "viewer");
  const rows = await listRepositoryRows(ctx.deps.db);
  const counts = await revisionCounts(ctx.deps.db);
  return rows.map((row) => repositoryView(row, counts.get(row.id) ?? 0));
}

export async function getRepository(ctx: Ctx, idOrName: string): Promise<Repository> {
  requireUser(ctx.principal, "viewer");
  const row = await getRepositoryRow(ctx.deps.db, idOrName);
  const counts = await revisionCounts(ctx.deps.db, [row.id]);
  return repositoryView(row, counts.get(row.id) ?? 0);
}

/**
 * Moves a repository to `index` (0 = highest priority; past the end = last) and returns the
 * new order. Admin only. The whole order is rewritten in one batch with the audit entry.
 */
export async function moveRepository(ctx: Ctx, idOrName: string, index: number): Promise<Repository[]> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const row = await getRepositoryRow(db, idOrName);
  const rows = await listRepositoryRows(db);
  const from = rows.findIndex((r) => r.id === row.id);
  const ordered = placeAt(rows, row, index);
  const to = ordered.indexOf(row);
  const now = clock.now();
  await db.batch([
    auditStatement(db, user, now, {
      action: "repository.move",
      target: row.id,
      details: { name: row.name, from, to },
    }),
    ...renumberStatements(db, ordered),
    ctx.catalog.bumpStatement(db),
  ]);
  ctx.catalog.invalidate();
  const counts = await revisionCounts(db);
  return ordered.map((r, i) => repositoryView({ ...r, priority: i }, counts.get(r.id) ?? 0));
}

/**
 * Deletes a repository with its revisions (and the stored bundles nothing else refers to);
 * the others close the gap in the priority order. Admin only. Installs keep the plans they
 * were rendered with.
 */
export async function deleteRepository(ctx: Ctx, idOrName: string): Promise<void> {
  const user = requireUser(ctx.principal, "admin");
  const { db, clock } = ctx.deps;
  const row = await getRepositoryRow(db, idOrName);
  const rest = (await listRepositoryRows(db)).filter((r) => r.id !== row.id);
  await db.batch([
    ...dropRepositoryStatements(db, row.id),
    orphanChunksStatement(db),
    ...renumberStatements(db, rest),
    ctx.catalog.bumpStatement(db),
    auditStatement(db, user, clock.now(), {
      action: "repository.delete",
      target: row.id,
      details: { name: row.name, kind: row.kind, uri: row.uri },
    }),
  ]);
  ctx.catalog.invalidate();
}

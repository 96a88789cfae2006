/**
 * Steps shared by adding and refreshing a repository (see repository-import.ts for how an
 * import stays all-or-nothing): loading the source, refusing imports with nothing good in
 * them, discarding a staging row, and the report handed back to the admin.
 */
import type { ImportFailure } from "../../../universe/import/result.js";
import type { RepositoryImport } from "../../contract/catalog.js";
import type { Ctx } from "../../env.js";
import { badRequest, conflict } from "../../errors.js";
import {
  dropRepositoryStatements,
  findRowByName,
  type RepositoryRow,
  repositoryView,
} from "./repository-rows.js";
import { type LoadedRepository, loadRepository, type RepositorySource } from "./repository-source.js";

const MAX_WARNINGS = 200;
const MAX_LISTED_FAILURES = 100;

/** Reads a source with the gateway's URL policy and fetch. */
export const loadSource = (ctx: Ctx, source: RepositorySource): Promise<LoadedRepository> =>
  loadRepository(source, {
    allowUrls: ctx.deps.config.allowRepositoryUrls,
    ...(ctx.deps.fetch && { fetch: ctx.deps.fetch }),
  });

/** 409 when a repository (or an import under way) already has the name. */
export async function assertNameFree(ctx: Ctx, name: string): Promise<void> {
  const existing = await findRowByName(ctx.deps.db, name);
  if (!existing) return;
  if (existing.priority >= 0) throw conflict(`repository ${name} already exists`, "REPOSITORY_EXISTS");
  throw conflict(
    `repository ${name} is being imported right now; try again when that import has finished`,
    "REPOSITORY_IMPORT_IN_PROGRESS",
  );
}

/** An index or tree in which every revision failed is bad input, not an empty repository. */
export function assertAnyGood(loaded: LoadedRepository): void {
  const { packages, failures } = loaded.result;
  if (packages.length > 0 || failures.length === 0) return;
  throw badRequest(
    `no revision could be imported (${failures.length} failed; the first: ${failures[0]?.path}: ${failures[0]?.reason})`,
    "IMPORT_FAILED",
    { failed: failures.slice(0, MAX_LISTED_FAILURES) },
  );
}

/** After writing: refuse when every good revision turned out too large to store. */
export function assertWritten(written: number, loaded: LoadedRepository, tooLarge: ImportFailure[]): void {
  if (written > 0 || loaded.result.packages.length === 0) return;
  throw badRequest("no revision could be stored: every one is too large for a catalog row", "IMPORT_FAILED", {
    failed: tooLarge.slice(0, MAX_LISTED_FAILURES),
  });
}

/** Deletes a staging row and its revisions; a failure is logged and left to the collector. */
export async function discardStaging(ctx: Ctx, stagingId: string): Promise<void> {
  try {
    await ctx.deps.db.batch([...dropRepositoryStatements(ctx.deps.db, stagingId)]);
  } catch (e) {
    // The original error is what the caller needs to see; collectAbandonedImports retries.
    ctx.deps.logger.warn("could not discard a failed import", { stagingId, error: String(e) });
  }
}

/** The response of an add or refresh, failures as the library reported them. */
export function importReport(
  row: RepositoryRow,
  written: number,
  loaded: LoadedRepository,
  tooLarge: ImportFailure[],
): RepositoryImport {
  const warnings = loaded.result.warnings;
  return {
    repository: repositoryView(row, written),
    imported: written,
    failed: [...loaded.result.failures, ...tooLarge],
    warnings:
      warnings.length > MAX_WARNINGS
        ? [...warnings.slice(0, MAX_WARNINGS), `… and ${warnings.length - MAX_WARNINGS} more warnings`]
        : warnings,
  };
}

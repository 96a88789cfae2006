/** Prints what an add or a refresh imported: counts, then each failed revision. */
import type { RepositoryImport } from "../../../gateway/contract/catalog.js";
import type { Output } from "../../output.js";

export function printImport(out: Output, verb: string, result: RepositoryImport): void {
  const r = result.repository;
  out.line(
    `${verb} repository ${r.name} (${r.kind}, position ${r.index}): ${result.imported} revisions imported, ${result.failed.length} failed, ${result.warnings.length} warnings.`,
  );
  for (const f of result.failed) out.line(`  FAILED ${f.path}: ${f.reason}`);
}

/**
 * Lints imported package revisions: every revision that has a template is rendered with its
 * default options, as an operator installing it without options would. Shared by
 * `flotilla lint` and the gateway's import report.
 */

import type { ImportResult } from "../import/result.js";
import { reasonOf } from "../import/result.js";
import { renderInstallPlan } from "../render/index.js";

export interface LintReport {
  kind: string;
  packages: number;
  revisions: number;
  rendered: number;
  failed: { path: string; reason: string }[];
  warnings: string[];
}

/** Where a revision came from, for messages; `revisionPath(def)` picks the import path. */
export function lintImport(kind: string, imported: ImportResult): LintReport {
  const report: LintReport = {
    kind,
    packages: new Set(imported.packages.map((p) => p.metadata.name)).size,
    revisions: imported.packages.length + imported.failures.length,
    rendered: 0,
    failed: [...imported.failures],
    warnings: [...imported.warnings],
  };
  for (const def of imported.packages) {
    const { marathon, group, jobs } = def.templates;
    if (marathon === undefined && group === undefined && jobs === undefined) continue;
    try {
      const { plan } = renderInstallPlan(def, {});
      report.rendered++;
      report.warnings.push(...plan.warnings);
    } catch (e) {
      report.failed.push({
        path: `${def.metadata.name}@${def.metadata.version} (release ${def.releaseVersion})`,
        reason: reasonOf(e),
      });
    }
  }
  return report;
}

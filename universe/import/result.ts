/** What every import returns: the revisions that passed and, per revision, what failed. */
import type { PackageDefinition } from "../models/package.js";

export interface ImportFailure {
  /** Where the revision is: `repo/packages/H/hello-world/16` or `packages[12] (hello-world@1.0.0)`. */
  path: string;
  reason: string;
}

export interface ImportResult {
  packages: PackageDefinition[];
  failures: ImportFailure[];
  warnings: string[];
}

export const reasonOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Size and count limits for bundles. An archive comes from a publisher we do not trust, so
 * unpacking enforces these while it streams: a gzip bomb or a million-entry tar stops early
 * instead of filling memory.
 */
import { UniverseError } from "../errors.js";

/** How much a bundle may hold; every limit is a positive whole number. */
export interface BundleLimits {
  /** Bytes of the compressed archive (the `.tgz` itself). */
  maxArchiveBytes: number;
  /** Tar entries, directories included. */
  maxEntries: number;
  /** Bytes of any one unpacked file. */
  maxFileBytes: number;
  /** Bytes of all unpacked files together. */
  maxTotalBytes: number;
}

const MiB = 1024 * 1024;

/** Generous for a package revision (a few JSON files and templates), small for a server. */
export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxArchiveBytes: 16 * MiB,
  maxEntries: 1_000,
  maxFileBytes: 8 * MiB,
  maxTotalBytes: 64 * MiB,
});

/**
 * Fills the limits a caller left out with the defaults.
 * Throws INVALID_ARGUMENT when a given limit is not a positive whole number.
 */
export function resolveBundleLimits(overrides: Partial<BundleLimits> = {}): BundleLimits {
  const limits = { ...DEFAULT_BUNDLE_LIMITS };
  for (const key of Object.keys(DEFAULT_BUNDLE_LIMITS) as (keyof BundleLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new UniverseError(
        "INVALID_ARGUMENT",
        `bundle limit ${key} must be a positive whole number, got ${String(value)}`,
        { limit: key, value },
      );
    }
    limits[key] = value;
  }
  return limits;
}

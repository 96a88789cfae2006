/**
 * The two rules for choosing one revision of a package among those the repositories offer:
 * Cosmos's (highest releaseVersion of the highest-priority repository; kept for the Cosmos API)
 * and Flotilla's (semver-aware: "latest", an exact version, or a semver range).
 */
import semver from "semver";
import { UniverseError } from "../errors.js";
import {
  compareVersions,
  isPrerelease,
  isValidRange,
  type VersionView,
  versionSatisfies,
  versionView,
} from "./version.js";

/** What selection needs to know about one revision; callers pass their own richer objects. */
export interface VersionCandidate {
  /** The version string as written in package.json. */
  version: string;
  /** Universe's integer revision; higher is newer within one repository. */
  releaseVersion: number;
  /** Position of the repository in the configured list; 0 is the highest priority. */
  repositoryPriority: number;
}

/** Options of {@link selectVersion}. */
export interface SelectVersionOptions {
  /** Let prereleases be "latest" and satisfy ranges that do not name a prerelease. */
  includePrerelease?: boolean;
  /** The package's name, for error messages. */
  packageName?: string;
}

/**
 * Cosmos's default version: among the candidates of the highest-priority repository that has
 * the package (lowest `repositoryPriority`), the one with the highest `releaseVersion`. Version
 * strings are not compared at all, so revision 700 `0.1.0` beats revision 16 `2.0.0`.
 *
 * @throws UniverseError PACKAGE_NOT_FOUND when there are no candidates.
 */
export function cosmosDefaultVersion<T extends VersionCandidate>(
  candidates: readonly T[],
  packageName?: string,
): T {
  const best = first(candidates, byRepositoryThenRelease);
  if (best === undefined) throw packageNotFound(packageName);
  return best;
}

/**
 * Flotilla's rule for turning a request into one revision.
 *
 * - No request, `""` or `"latest"`: the highest version that is strict semver (as written, not
 *   repaired) and not a prerelease (prereleases too with `includePrerelease`). When the package
 *   has no such version at all — only opaque, repaired or prerelease versions — this falls back
 *   to {@link cosmosDefaultVersion}, so every package still has a default.
 * - A request equal to a candidate's version string: that version (opaque strings such as
 *   `3.1.x` or `0.3.16.4` can always be asked for by name).
 * - Otherwise a semver range (`^1.2`, `~2.0.1`, `>=3 <4`, `1.x`): the highest candidate whose
 *   semver view satisfies it, repaired views included. Prereleases follow semver: they match
 *   only when `includePrerelease` is set or the range names a prerelease of the same
 *   major.minor.patch.
 *
 * Ties between equal versions go to the strict view, then the higher-priority repository, then
 * the higher releaseVersion.
 *
 * @throws UniverseError PACKAGE_NOT_FOUND (no candidates), INVALID_ARGUMENT (the request is
 *   neither a version of the package nor a semver range), VERSION_NOT_FOUND (nothing matches).
 * @example selectVersion(revisions, "^1.2", { packageName: "nginx" })
 */
export function selectVersion<T extends VersionCandidate>(
  candidates: readonly T[],
  request?: string,
  options: SelectVersionOptions = {},
): T {
  const { includePrerelease = false, packageName } = options;
  if (candidates.length === 0) throw packageNotFound(packageName);
  const viewed = candidates.map((candidate) => ({ candidate, view: versionView(candidate.version) }));
  const wanted = request?.trim() ?? "";

  if (wanted === "" || wanted === "latest") {
    const eligible = viewed.filter(
      ({ view }) => view.semver !== null && !view.loose && (includePrerelease || !isPrerelease(view)),
    );
    return first(eligible, newestFirst)?.candidate ?? cosmosDefaultVersion(candidates, packageName);
  }

  const exact = candidates.filter((candidate) => candidate.version === wanted);
  const exactBest = first(exact, byRepositoryThenRelease);
  if (exactBest !== undefined) return exactBest;

  const available = availableVersions(candidates);
  const details = { package: packageName, request: wanted, available };
  if (!isValidRange(wanted, { includePrerelease })) {
    throw new UniverseError(
      "INVALID_ARGUMENT",
      `"${wanted}" is neither a version of ${label(packageName)} nor a valid semver range such as ^1.2 or >=2 <3 (available: ${summarizeVersions(available)})`,
      details,
    );
  }
  // Exact strings were handled above, so only candidates with a semver view can match here.
  const matching = viewed.filter(
    ({ view }) => view.semver !== null && versionSatisfies(view, wanted, { includePrerelease }),
  );
  const best = first(matching, newestFirst);
  if (best === undefined) {
    throw new UniverseError(
      "VERSION_NOT_FOUND",
      `No version of ${label(packageName)} matches "${wanted}" (available: ${summarizeVersions(available)})`,
      details,
    );
  }
  return best.candidate;
}

interface Viewed<T> {
  candidate: T;
  view: VersionView;
}

// Highest semver first; equal precedence: strict view, then repository, then revision.
function newestFirst<T extends VersionCandidate>(a: Viewed<T>, b: Viewed<T>): number {
  return (
    semver.compare(b.view.semver!, a.view.semver!) ||
    Number(a.view.loose) - Number(b.view.loose) ||
    byRepositoryThenRelease(a.candidate, b.candidate)
  );
}

function byRepositoryThenRelease(a: VersionCandidate, b: VersionCandidate): number {
  return a.repositoryPriority - b.repositoryPriority || b.releaseVersion - a.releaseVersion;
}

/** The first element in `order` (the earliest one among equals), without sorting a copy. */
function first<T>(items: readonly T[], order: (a: T, b: T) => number): T | undefined {
  let best: T | undefined;
  for (const item of items) if (best === undefined || order(item, best) < 0) best = item;
  return best;
}

/** Distinct version strings, oldest first, for messages and error details. */
export function availableVersions(candidates: readonly { version: string }[]): string[] {
  return [...new Set(candidates.map((c) => c.version))].sort(compareVersions);
}

const MAX_LISTED = 20;

/** A comma-separated list that stays readable for packages with hundreds of revisions. */
export function summarizeVersions(versions: readonly string[]): string {
  if (versions.length === 0) return "none";
  if (versions.length <= MAX_LISTED) return versions.join(", ");
  // The newest versions are the ones a reader is most likely to want.
  return `…, ${versions.slice(-MAX_LISTED).join(", ")} (${versions.length} in all)`;
}

const label = (packageName: string | undefined): string =>
  packageName === undefined ? "the package" : `[${packageName}]`;

const packageNotFound = (packageName: string | undefined): UniverseError =>
  new UniverseError("PACKAGE_NOT_FOUND", `Package ${label(packageName)} not found`, { package: packageName });

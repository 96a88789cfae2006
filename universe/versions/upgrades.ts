/**
 * Whether an installed package may move to another version, from the packages' own
 * `upgradesFrom` / `downgradesTo` lists, and which versions an installed one can reach.
 *
 * Universe packages follow Cosmos: a change is allowed when the target's `upgradesFrom` names the
 * installed version (or `"*"`), or the installed package's `downgradesTo` names the target (or
 * `"*"`). A missing or empty list allows nothing. Packaging versions 2.0 and 3.0 have no such lists
 * (Cosmos ignores them if present), so such a package can never list its way into or out of a
 * change — but a 4.0+ target whose `upgradesFrom` is `"*"` still accepts an installed 3.0 package,
 * as Cosmos's describe reported. Flotilla packages differ in two ways: a missing list allows every
 * change, and entries may be semver ranges.
 */
import semver from "semver";
import { UniverseError } from "../errors.js";
import { versionSatisfies, versionView } from "./version.js";

/** One side of a version change: the installed package or the one to move to. */
export interface VersionChangeSide {
  version: string;
  packagingVersion?: string;
  upgradesFrom?: readonly string[];
  downgradesTo?: readonly string[];
  format: "universe" | "flotilla";
  /** Universe revision; only used to tell upgrade from downgrade when versions are not semver. */
  releaseVersion?: number;
}

/** The verdict on a version change. */
export type VersionChangeCheck =
  | { allowed: true; direction: "upgrade" | "downgrade" | "same" }
  | { allowed: false; reason: string };

// Universe packaging versions whose schema has no upgradesFrom / downgradesTo.
const LISTLESS_PACKAGING = new Set(["2.0", "3.0"]);

type ListName = "upgradesFrom" | "downgradesTo";

interface ListVerdict {
  allows: boolean;
  why: string;
}

/** Whether `side`'s own `list` lets `version` be the other end of a change. */
function judgeList(side: VersionChangeSide, list: ListName, version: string): ListVerdict {
  if (side.format === "universe" && LISTLESS_PACKAGING.has(side.packagingVersion ?? "")) {
    return {
      allows: false,
      why: `${side.version} is a packagingVersion ${side.packagingVersion} package, which cannot have ${list}`,
    };
  }
  const entries = side[list];
  if (entries === undefined) {
    return side.format === "flotilla"
      ? { allows: true, why: `${side.version} has no ${list}, so any version is allowed` }
      : { allows: false, why: `${side.version} has no ${list}` };
  }
  if (entries.length === 0) return { allows: false, why: `${side.version} has an empty ${list}` };
  const view = versionView(version);
  const allows = entries.some(
    (entry) =>
      entry === "*" || entry === version || (side.format === "flotilla" && versionSatisfies(view, entry)),
  );
  const listed = entries.map((entry) => JSON.stringify(entry)).join(", ");
  return {
    allows,
    why: `${side.version}'s ${list} [${listed}] ${allows ? "includes" : "does not include"} ${version}`,
  };
}

/**
 * Decides whether the installed package `current` may change to `target`. The same version
 * string is always allowed (an options-only update). Otherwise the target's `upgradesFrom` or the
 * installed package's `downgradesTo` must allow it (see the module comment for the rules).
 * The direction comes from semver when both versions have a semver view, else from the
 * releaseVersions when given, else from the list that allowed the change.
 *
 * @example checkVersionChange(installed, candidate) // { allowed: false, reason: "…" }
 */
export function checkVersionChange(
  current: VersionChangeSide,
  target: VersionChangeSide,
): VersionChangeCheck {
  if (current.version === target.version) return { allowed: true, direction: "same" };
  const up = judgeList(target, "upgradesFrom", current.version);
  const down = judgeList(current, "downgradesTo", target.version);
  if (!up.allows && !down.allows) {
    return {
      allowed: false,
      reason: `changing from ${current.version} to ${target.version} is not allowed: ${up.why}, and ${down.why}`,
    };
  }
  return { allowed: true, direction: directionOf(current, target, up.allows) };
}

function directionOf(current: VersionChangeSide, target: VersionChangeSide, upgradeListAllows: boolean) {
  const from = versionView(current.version).semver;
  const to = versionView(target.version).semver;
  const bySemver = from !== null && to !== null ? semver.compare(from, to) : 0;
  if (bySemver !== 0) return bySemver < 0 ? "upgrade" : "downgrade";
  const byRelease =
    current.releaseVersion !== undefined && target.releaseVersion !== undefined
      ? current.releaseVersion - target.releaseVersion
      : 0;
  if (byRelease !== 0) return byRelease < 0 ? "upgrade" : "downgrade";
  return upgradeListAllows ? "upgrade" : "downgrade";
}

/**
 * {@link checkVersionChange} that throws when the change is not allowed.
 *
 * @throws UniverseError UPGRADE_NOT_ALLOWED with the reason and which lists forbid it.
 */
export function assertVersionChange(
  current: VersionChangeSide,
  target: VersionChangeSide,
  packageName?: string,
): "upgrade" | "downgrade" | "same" {
  const check = checkVersionChange(current, target);
  if (check.allowed) return check.direction;
  const subject = packageName === undefined ? "The package" : `[${packageName}]`;
  throw new UniverseError(
    "UPGRADE_NOT_ALLOWED",
    `${subject} cannot change version: ${check.reason}. A change is allowed when the new version's upgradesFrom lists the installed version (or "*") or the installed version's downgradesTo lists the new one.`,
    { package: packageName, from: current.version, to: target.version, reason: check.reason },
  );
}

/**
 * The packages in `all` whose own `upgradesFrom` accepts the installed `current` version — what
 * Cosmos's service describe called `upgradesTo`. The installed version itself is left out, and
 * each version string appears once (its first occurrence in `all`).
 */
export function upgradesTo<T extends VersionChangeSide>(
  current: { version: string },
  all: readonly T[],
): T[] {
  return distinctOtherVersions(current, all).filter(
    (pkg) => judgeList(pkg, "upgradesFrom", current.version).allows,
  );
}

/**
 * The packages in `all` that the installed `current` package's own `downgradesTo` accepts — what
 * Cosmos's service describe called `downgradesTo`. The installed version itself is left out, and
 * each version string appears once (its first occurrence in `all`).
 */
export function downgradesTo<T extends { version: string }>(
  current: VersionChangeSide,
  all: readonly T[],
): T[] {
  return distinctOtherVersions(current, all).filter(
    (pkg) => judgeList(current, "downgradesTo", pkg.version).allows,
  );
}

function distinctOtherVersions<T extends { version: string }>(
  current: { version: string },
  all: readonly T[],
): T[] {
  const seen = new Set([current.version]);
  const out: T[] = [];
  for (const pkg of all) {
    if (seen.has(pkg.version)) continue;
    seen.add(pkg.version);
    out.push(pkg);
  }
  return out;
}

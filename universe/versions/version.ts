/**
 * Version strings as Universe authors wrote them, and the semver view Flotilla derives from them.
 *
 * Universe treats versions as opaque text and about one in eight real ones is not semver
 * (`v0.4.0-beta`, `1.12-patch.0`, `0.3.16.4`, `6.0.0rc1`, `2.0`, `3.1.x`). The raw string is
 * what identifies a package revision and is never changed; the semver view exists only so that
 * versions can be ordered and matched against ranges, and is marked `loose` when it had to be
 * repaired rather than read as written.
 */
import semver from "semver";

/** One version string with its semver view. */
export interface VersionView {
  /** The version exactly as the package author wrote it. */
  raw: string;
  /** A valid semver 2.0.0 version (without build metadata), or null when none can be derived. */
  semver: string | null;
  /** True when `semver` was derived by repairing `raw`; false when `raw` is semver as written or no view exists. */
  loose: boolean;
}

/** Options accepted by the range helpers. */
export interface RangeOptions {
  /** Let prereleases satisfy ranges that do not name one (semver's `includePrerelease`). */
  includePrerelease?: boolean;
}

/**
 * Derives the semver view of a version string; never throws.
 *
 * - Strict: `raw` is exactly a SemVer 2.0.0 string (build metadata allowed) → `loose: false`.
 *   A leading `v`/`=` or surrounding spaces, which the semver package tolerates, make it loose.
 * - Loose: a leading numeric core of one to three parts is padded to three (`2.0` → `2.0.0`),
 *   numeric parts beyond the third are dropped (`0.3.16.4` → `0.3.16`), and a suffix glued on
 *   without a hyphen becomes a prerelease (`6.0.0rc1` → `6.0.0-rc1`, `1.2.3.beta` → `1.2.3-beta`).
 * - None (`semver: null`): no leading number (`latest`), a wildcard part (`3.1.x` names a range
 *   of versions, not one, so guessing `3.1.0` would order and match it wrongly), or a suffix that
 *   is still not semver after repair.
 *
 * semver's own `valid(raw, {loose: true})` is not used because it misreads four-part versions
 * (`0.3.16.4` → `0.3.1-6.4`).
 *
 * @example versionView("v0.4.0-beta") // { raw: "v0.4.0-beta", semver: "0.4.0-beta", loose: true }
 */
export function versionView(raw: string): VersionView {
  if (typeof raw !== "string") return { raw, semver: null, loose: false };
  const strict = strictSemver(raw);
  if (strict !== null) return { raw, semver: strict, loose: false };
  const repaired = repairedSemver(raw);
  return { raw, semver: repaired, loose: repaired !== null };
}

function strictSemver(raw: string): string | null {
  const parsed = semver.parse(raw);
  if (parsed === null) return null;
  const canonical = parsed.build.length > 0 ? `${parsed.version}+${parsed.build.join(".")}` : parsed.version;
  return raw === canonical ? parsed.version : null;
}

// Numeric core (1–3 parts), any further numeric parts, then whatever follows.
const LOOSE_SHAPE = /^[vV=]?(\d+)(?:\.(\d+))?(?:\.(\d+))?((?:\.\d+)*)(.*)$/s;
// `.x`, `.X` or `.*` right after the numeric core: a range such as `3.1.x`.
const WILDCARD_PART = /^\.[xX*](?:$|[.+-])/;

function repairedSemver(raw: string): string | null {
  const match = LOOSE_SHAPE.exec(raw.trim());
  if (match === null) return null;
  const [, major = "", minor = "0", patch = "0", , rest = ""] = match;
  if (WILDCARD_PART.test(rest)) return null;
  const core = [major, minor, patch].map((part) => part.replace(/^0+(?=\d)/, "")).join(".");
  const candidate = core + repairedSuffix(rest);
  return semver.valid(candidate);
}

/** Turns what follows the numeric core into `-prerelease` and/or `+build` where that is plain. */
function repairedSuffix(rest: string): string {
  if (rest === "" || rest.startsWith("+")) return rest;
  // A separator other than `-` (`1.2.3.beta`, `1.2.3_rc1`, `1.2.3~rc1`) or none (`6.0.0rc1`).
  const body = /^[-._~]/.test(rest) ? rest.slice(1) : rest;
  const plus = body.indexOf("+");
  const pre = plus === -1 ? body : body.slice(0, plus);
  const build = plus === -1 ? "" : body.slice(plus);
  // Numeric identifiers may not have leading zeros in semver (`1.0.0-01`).
  const identifiers = pre.split(".").map((id) => (/^\d+$/.test(id) ? id.replace(/^0+(?=\d)/, "") : id));
  return `-${identifiers.join(".")}${build}`;
}

/**
 * Orders version views for display: views with a semver form first, by semver precedence; then
 * the rest. Ties (equal precedence, or no view) are broken by a numeric-aware comparison of the
 * raw strings, so the order is total and stable across runs.
 */
export function compareVersionViews(a: VersionView, b: VersionView): number {
  if (a.semver !== null && b.semver !== null) {
    return semver.compare(a.semver, b.semver) || compareRaw(a.raw, b.raw);
  }
  if (a.semver !== null) return -1;
  if (b.semver !== null) return 1;
  return compareRaw(a.raw, b.raw);
}

/** {@link compareVersionViews} on plain version strings. */
export const compareVersions = (a: string, b: string): number =>
  compareVersionViews(versionView(a), versionView(b));

/**
 * Whether a version matches a requested version or range: the raw string equals the request
 * exactly (so any opaque Universe version can be asked for by name), or the semver view
 * satisfies the request read as a semver range. Prereleases follow semver's rules. Never throws.
 */
export function versionSatisfies(view: VersionView, range: string, options: RangeOptions = {}): boolean {
  if (view.raw === range) return true;
  if (view.semver === null) return false;
  return semver.satisfies(view.semver, range, { includePrerelease: options.includePrerelease === true });
}

/** True when `range` parses as a semver range (the empty string counts as `*`). */
export const isValidRange = (range: string, options: RangeOptions = {}): boolean =>
  semver.validRange(range, { includePrerelease: options.includePrerelease === true }) !== null;

/** True when the view has a semver form that is a prerelease (`1.0.0-rc.1`). */
export const isPrerelease = (view: VersionView): boolean =>
  view.semver !== null && semver.prerelease(view.semver) !== null;

// Numeric-aware string order: digit runs compare as numbers, the rest by code unit.
function compareRaw(a: string, b: string): number {
  const as = a.match(/\d+|\D+/g) ?? [];
  const bs = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i]!;
    const y = bs[i]!;
    if (x === y) continue;
    if (/^\d/.test(x) && /^\d/.test(y)) {
      const nx = x.replace(/^0+(?=\d)/, "");
      const ny = y.replace(/^0+(?=\d)/, "");
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return nx < ny ? -1 : 1;
      continue;
    }
    return x < y ? -1 : 1;
  }
  if (as.length !== bs.length) return as.length - bs.length;
  return a === b ? 0 : a < b ? -1 : 1;
}

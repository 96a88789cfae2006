/**
 * Dependency resolution for Flotilla packages: picks exactly one version of every package
 * reachable from the one being installed so that every declared semver range holds, preferring
 * newer versions, and returns them in install order.
 *
 * The search is depth-first with backtracking. At each step it decides the pending package with
 * the fewest versions left that satisfy the ranges collected so far (so dead ends show up early),
 * trying those versions newest first. The search is complete — if any consistent, acyclic choice
 * exists it is found — and bounded by a step budget, since real graphs are small but the problem
 * is NP-hard in general.
 */
import semver from "semver";
import { UniverseError } from "../errors.js";
import { availableVersions, summarizeVersions } from "../versions/select.js";
import {
  isPrerelease,
  isValidRange,
  type VersionView,
  versionSatisfies,
  versionView,
} from "../versions/version.js";

/** What the resolver needs to know about one version of a package. */
export interface ResolverPackage {
  name: string;
  version: string;
  /** Package name → semver range (or an exact version string). */
  dependencies: Record<string, string>;
}

/** Where the resolver finds the versions of a package; an empty list means no such package. */
export interface ResolverCatalog<T extends ResolverPackage> {
  versionsOf(name: string): readonly T[];
}

/** The package being installed, optionally with a range or exact version. */
export interface ResolveRoot {
  name: string;
  /** A semver range or exact version; missing, `""` or `"latest"` means any version. */
  range?: string;
}

/** Options of {@link resolveDependencies}. */
export interface ResolveOptions {
  /** Let prereleases satisfy ranges that do not name one. */
  includePrerelease?: boolean;
  /** Version attempts before giving up (default 20,000). */
  maxSteps?: number;
}

/** One range placed on a package; `requiredBy` is `name@version`, or null for the request itself. */
export interface Requirement {
  requiredBy: string | null;
  range: string;
}

/** The chosen versions, every dependency before its dependents and the root last. */
export interface Resolution<T extends ResolverPackage> {
  packages: T[];
}

interface State<T> {
  chosen: ReadonlyMap<string, T>;
  requirements: ReadonlyMap<string, readonly Requirement[]>;
  /** Names required by chosen packages and not decided yet, in the order they were found. */
  pending: readonly string[];
}

const DEFAULT_MAX_STEPS = 20_000;

/**
 * Chooses one version of `root` and of every package it reaches through `dependencies`.
 *
 * A dependency matches a version when the version string equals it exactly or its semver view
 * (see `versionView`) satisfies it as a range. Without `includePrerelease`, stable versions are
 * tried before prereleases; versions without any semver view are tried last, in catalog order.
 *
 * @throws UniverseError PACKAGE_NOT_FOUND (the root, or a dependency nobody can avoid, does not
 *   exist), INVALID_ARGUMENT / VERSION_NOT_FOUND (the root's range is malformed or matches
 *   nothing), DEPENDENCY_CONFLICT (no choice satisfies every range; names each requirer and
 *   range, with `details.requirements`), DEPENDENCY_CYCLE (every choice loops, e.g.
 *   `a@1.0.0 → b@2.0.0 → a`). When every choice fails, the error is the first definite failure
 *   the search met, and the search tries the most preferred versions first.
 * @example resolveDependencies(catalog, { name: "app", range: "^2" }).packages.map((p) => p.name)
 */
export function resolveDependencies<T extends ResolverPackage>(
  catalog: ResolverCatalog<T>,
  root: ResolveRoot,
  options: ResolveOptions = {},
): Resolution<T> {
  const includePrerelease = options.includePrerelease === true;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const views = new Map<T, VersionView>();
  const viewOf = (pkg: T): VersionView => {
    let view = views.get(pkg);
    if (view === undefined) {
      view = versionView(pkg.version);
      views.set(pkg, view);
    }
    return view;
  };
  const satisfies = (pkg: T, range: string) => versionSatisfies(viewOf(pkg), range, { includePrerelease });
  const preferredCache = new Map<string, T[]>();
  const preferred = (name: string): T[] => {
    let list = preferredCache.get(name);
    if (list === undefined) {
      list = preferenceOrder([...catalog.versionsOf(name)], viewOf, includePrerelease);
      preferredCache.set(name, list);
    }
    return list;
  };

  const rootRequirements = rootRequirement(root, preferred(root.name), satisfies, includePrerelease);

  // The first failure of each kind on the search path, in the order met.
  let hard: UniverseError | undefined;
  let soft: UniverseError | undefined;
  let steps = 0;

  const search = (state: State<T>): ReadonlyMap<string, T> | null => {
    if (state.pending.length === 0) return state.chosen;
    let name: string | undefined;
    let choices: T[] = [];
    for (const candidateName of state.pending) {
      const requirements = state.requirements.get(candidateName) ?? [];
      const all = preferred(candidateName);
      if (all.length === 0) {
        hard ??= missingPackage(candidateName, requirements);
        return null;
      }
      const fitting = all.filter((pkg) => requirements.every((r) => satisfies(pkg, r.range)));
      if (fitting.length === 0) {
        hard ??= conflict(candidateName, requirements, all);
        return null;
      }
      if (name === undefined || fitting.length < choices.length) {
        name = candidateName;
        choices = fitting;
      }
    }
    for (const pkg of choices) {
      if (++steps > maxSteps) throw budgetExceeded(root.name, maxSteps);
      const next = choose(state, name!, pkg);
      if (next === null) continue;
      const result = search(next);
      if (result !== null) return result;
    }
    return null;
  };

  /** The state after deciding `name` = `pkg`, or null when that clashes with what is decided. */
  const choose = (state: State<T>, name: string, pkg: T): State<T> | null => {
    const cycle = cycleThrough(state.chosen, name, pkg);
    if (cycle !== null) {
      hard ??= new UniverseError(
        "DEPENDENCY_CYCLE",
        `Dependency cycle: ${cycle.join(" → ")}. Packages cannot depend on themselves, directly or through others.`,
        { cycle },
      );
      return null;
    }
    const requiredBy = `${name}@${pkg.version}`;
    const requirements = new Map(state.requirements);
    const pending = state.pending.filter((n) => n !== name);
    for (const [dep, range] of Object.entries(pkg.dependencies)) {
      const onDep = [...(requirements.get(dep) ?? []), { requiredBy, range }];
      requirements.set(dep, onDep);
      const decided = state.chosen.get(dep);
      if (decided === undefined) {
        if (!pending.includes(dep)) pending.push(dep);
      } else if (!satisfies(decided, range)) {
        const all = preferred(dep);
        if (all.some((p) => onDep.every((r) => satisfies(p, r.range)))) {
          // Another version of dep would do; a sibling branch tries it.
          soft ??= conflict(dep, onDep, all, false);
        } else {
          hard ??= conflict(dep, onDep, all);
        }
        return null;
      }
    }
    const chosen = new Map(state.chosen);
    chosen.set(name, pkg);
    return { chosen, requirements, pending };
  };

  const initial: State<T> = {
    chosen: new Map(),
    requirements: new Map([[root.name, rootRequirements]]),
    pending: [root.name],
  };
  const chosen = search(initial);
  if (chosen === null) {
    throw hard ?? soft ?? conflict(root.name, rootRequirements, preferred(root.name));
  }
  return { packages: installOrder(chosen, root.name) };
}

/** Stable before prerelease (unless included), newest first, versions without a view last. */
function preferenceOrder<T>(packages: T[], viewOf: (p: T) => VersionView, includePrerelease: boolean): T[] {
  const rank = (view: VersionView) =>
    view.semver === null ? 2 : !includePrerelease && isPrerelease(view) ? 1 : 0;
  return packages.sort((a, b) => {
    const va = viewOf(a);
    const vb = viewOf(b);
    const byRank = rank(va) - rank(vb);
    if (byRank !== 0 || va.semver === null || vb.semver === null) return byRank;
    // Equal precedence (`1.0.0` and `v1.0.0`): the version written as semver, then catalog order.
    return semver.compare(vb.semver, va.semver) || Number(va.loose) - Number(vb.loose);
  });
}

/** Checks the root's range up front so that a bad request gets the same errors as selectVersion. */
function rootRequirement<T extends ResolverPackage>(
  root: ResolveRoot,
  versions: readonly T[],
  satisfies: (pkg: T, range: string) => boolean,
  includePrerelease: boolean,
): Requirement[] {
  if (versions.length === 0) {
    throw new UniverseError("PACKAGE_NOT_FOUND", `Package [${root.name}] not found`, { package: root.name });
  }
  const range = root.range?.trim() ?? "";
  if (range === "" || range === "latest") return [];
  const available = availableVersions(versions);
  const details = { package: root.name, request: range, available };
  const exact = versions.some((p) => p.version === range);
  if (!exact && !isValidRange(range, { includePrerelease })) {
    throw new UniverseError(
      "INVALID_ARGUMENT",
      `"${range}" is neither a version of [${root.name}] nor a valid semver range such as ^1.2 or >=2 <3 (available: ${summarizeVersions(available)})`,
      details,
    );
  }
  if (!versions.some((p) => satisfies(p, range))) {
    throw new UniverseError(
      "VERSION_NOT_FOUND",
      `No version of [${root.name}] matches "${range}" (available: ${summarizeVersions(available)})`,
      details,
    );
  }
  return [{ requiredBy: null, range }];
}

/**
 * The loop that deciding `name` = `pkg` would close through decided packages, as
 * `a@1.0.0 → b@2.0.0 → a`, starting from the member decided first (nearest the root).
 */
function cycleThrough<T extends ResolverPackage>(
  chosen: ReadonlyMap<string, T>,
  name: string,
  pkg: T,
): string[] | null {
  const visited = new Set<string>();
  // Decided packages from `from` onwards that lead back to `name`.
  const pathBack = (from: string): T[] | null => {
    if (from === name) return [];
    const decided = chosen.get(from);
    if (decided === undefined || visited.has(from)) return null;
    visited.add(from);
    for (const dep of Object.keys(decided.dependencies)) {
      const rest = pathBack(dep);
      if (rest !== null) return [decided, ...rest];
    }
    return null;
  };
  for (const dep of Object.keys(pkg.dependencies)) {
    const path = pathBack(dep);
    if (path === null) continue;
    const loop = [pkg, ...path];
    // Map order is decision order; the package being decided now comes last.
    const order = [...chosen.keys()];
    const rank = (p: T) => (p === pkg ? order.length : order.indexOf(p.name));
    const start = loop.reduce((best, p, i) => (rank(p) < rank(loop[best]!) ? i : best), 0);
    const rotated = [...loop.slice(start), ...loop.slice(0, start)];
    return [...rotated.map((p) => `${p.name}@${p.version}`), rotated[0]!.name];
  }
  return null;
}

/** Depth-first post-order from the root: every dependency before its dependents, root last. */
function installOrder<T extends ResolverPackage>(chosen: ReadonlyMap<string, T>, rootName: string): T[] {
  const ordered: T[] = [];
  const placed = new Set<string>();
  const visit = (name: string) => {
    const pkg = chosen.get(name);
    if (pkg === undefined || placed.has(name)) return;
    placed.add(name);
    for (const dep of Object.keys(pkg.dependencies)) visit(dep);
    ordered.push(pkg);
  };
  visit(rootName);
  return ordered;
}

const describeRequirement = (r: Requirement): string =>
  `${r.requiredBy ?? "the request"} requires ${r.range}`;

function conflict(
  name: string,
  requirements: readonly Requirement[],
  all: readonly ResolverPackage[],
  noVersionFits = true,
): UniverseError {
  const available = availableVersions(all);
  const required = requirements.map(describeRequirement).join(", ");
  // Only a clash that no single version could settle may say "no version".
  const lead = noVersionFits
    ? `No version of [${name}] satisfies every requirement`
    : `No combination of versions satisfies every requirement on [${name}]`;
  return new UniverseError(
    "DEPENDENCY_CONFLICT",
    `${lead}: ${required} (available: ${summarizeVersions(available)})`,
    { package: name, requirements: [...requirements], available },
  );
}

function missingPackage(name: string, requirements: readonly Requirement[]): UniverseError {
  const by = requirements.map(describeRequirement).join(", ");
  return new UniverseError("PACKAGE_NOT_FOUND", `Package [${name}] not found (${by})`, {
    package: name,
    requirements: [...requirements],
  });
}

function budgetExceeded(rootName: string, maxSteps: number): UniverseError {
  return new UniverseError(
    "DEPENDENCY_CONFLICT",
    `Gave up resolving the dependencies of [${rootName}] after ${maxSteps} attempts; pin some dependency versions to narrow the search`,
    { package: rootName, maxSteps },
  );
}

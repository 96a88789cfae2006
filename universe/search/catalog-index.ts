/**
 * The in-memory catalog that package search runs over: every revision from every repository,
 * grouped by package name, with the lower-cased text of each package computed once at build
 * time so that a query only scans strings. Rebuild it whenever the repositories change; it is
 * immutable afterwards and safe to share between requests.
 */
import type { PackageDefinition } from "../models/package.js";
import { cosmosDefaultVersion } from "../versions/select.js";
import { buildTrigramPostings, type TrigramPostings } from "./trigrams.js";

/** One package revision as it sits in a configured repository. */
export interface CatalogEntry {
  definition: PackageDefinition;
  /** Position of its repository in the configured list; 0 is the highest priority (as in `cosmosDefaultVersion`). */
  repositoryPriority: number;
  /** Name or URI of that repository, for callers that want to say where a package came from. */
  repository?: string;
}

/**
 * One package as Cosmos `/package/search` lists it, so the Cosmos route can hand it out as is.
 * Shared between queries: treat it as read-only.
 */
export interface PackageSummary {
  readonly name: string;
  /** The Cosmos default version (highest releaseVersion of the highest-priority repository). */
  readonly currentVersion: string;
  /** Every version string with its releaseVersion as a string, like `/package/list-versions`. */
  readonly versions: Readonly<Record<string, string>>;
  readonly description: string;
  readonly tags: readonly string[];
  readonly selected: boolean;
  readonly framework: boolean;
  /** `resource.json` images of the default revision (icons, screenshots), when it has any. */
  readonly images?: Readonly<Record<string, unknown>>;
}

/** A package with what search needs precomputed. */
export interface IndexedPackage {
  readonly summary: PackageSummary;
  /** The revision the summary describes (the Cosmos default). */
  readonly current: CatalogEntry;
  /** Every revision of the package, from every repository, in input order. */
  readonly revisions: readonly CatalogEntry[];
  readonly nameLc: string;
  readonly descriptionLc: string;
  readonly tagsLc: readonly string[];
}

export interface SearchIndex {
  /** Sorted the way Cosmos lists results (selected first, then by name); search relies on it. */
  readonly packages: readonly IndexedPackage[];
  readonly byName: ReadonlyMap<string, IndexedPackage>;
  readonly revisionCount: number;
  /** Positions in `packages` under each trigram of their name, tags and description. */
  readonly trigrams: TrigramPostings;
}

/**
 * Groups revisions by package name and precomputes each package's summary and search text.
 *
 * @example
 * const index = buildSearchIndex(imported.packages.map((definition) => ({ definition, repositoryPriority: 0 })));
 * searchPackages(index, "kafka");
 */
export function buildSearchIndex(entries: readonly CatalogEntry[]): SearchIndex {
  const groups = new Map<string, CatalogEntry[]>();
  for (const entry of entries) {
    const name = entry.definition.metadata.name;
    const group = groups.get(name);
    if (group) group.push(entry);
    else groups.set(name, [entry]);
  }

  const packages: IndexedPackage[] = [];
  for (const [name, revisions] of groups) packages.push(indexPackage(name, revisions));
  packages.sort(cosmosOrder);

  const byName = new Map<string, IndexedPackage>();
  for (const p of packages) byName.set(p.summary.name, p);
  const trigrams = buildTrigramPostings(packages.map((p) => [p.nameLc, ...p.tagsLc, p.descriptionLc]));
  return { packages, byName, revisionCount: entries.length, trigrams };
}

/** Selected first, then by name. Names are ASCII (see PACKAGE_NAME), so code-unit order is enough. */
function cosmosOrder(a: IndexedPackage, b: IndexedPackage): number {
  if (a.summary.selected !== b.summary.selected) return a.summary.selected ? -1 : 1;
  return a.summary.name < b.summary.name ? -1 : a.summary.name > b.summary.name ? 1 : 0;
}

function indexPackage(name: string, revisions: CatalogEntry[]): IndexedPackage {
  const current = defaultRevision(revisions);
  const meta = current.definition.metadata;
  const tags = meta.tags ?? [];
  const images = current.definition.resource?.images;
  const summary: PackageSummary = {
    name,
    currentVersion: meta.version,
    versions: versionMap(revisions),
    description: meta.description,
    tags,
    selected: meta.selected === true,
    framework: meta.framework === true,
    ...(images ? { images } : {}),
  };
  return {
    summary,
    current,
    revisions,
    nameLc: name.toLowerCase(),
    descriptionLc: meta.description.toLowerCase(),
    tagsLc: tags.map((t) => t.toLowerCase()),
  };
}

function defaultRevision(revisions: CatalogEntry[]): CatalogEntry {
  const candidates = revisions.map((entry) => ({
    version: entry.definition.metadata.version,
    releaseVersion: entry.definition.releaseVersion,
    repositoryPriority: entry.repositoryPriority,
    entry,
  }));
  // Groups are never empty, so this never throws PACKAGE_NOT_FOUND.
  return cosmosDefaultVersion(candidates, revisions[0]?.definition.metadata.name).entry;
}

/**
 * `{version: releaseVersion}` over every revision. One version string can sit at two
 * revisions (or in two repositories); the revision Cosmos would prefer wins, so the map
 * points at the same revision an install of that version would use.
 */
function versionMap(revisions: CatalogEntry[]): Record<string, string> {
  const best = new Map<string, CatalogEntry>();
  for (const r of revisions) {
    const version = r.definition.metadata.version;
    const seen = best.get(version);
    if (!seen || defaultRevision([seen, r]) === r) best.set(version, r);
  }
  const versions: Record<string, string> = {};
  for (const [version, r] of best) versions[version] = String(r.definition.releaseVersion);
  return versions;
}

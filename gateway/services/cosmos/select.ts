/**
 * Cosmos's rules for turning a request into one package revision, over the catalog snapshot:
 * no version → the highest releaseVersion of the highest-priority repository that has the
 * package (universe/versions cosmosDefaultVersion; no semver comparison, so revision 700
 * `0.1.0` beats revision 16 `2.0.0`); a version → that exact string, from the highest-priority
 * repository that has it. Ranges are Flotilla's own API's business, not Cosmos's.
 */
import { cosmosDefaultVersion } from "../../../universe/versions/index.js";
import type { CatalogRevision, CatalogSnapshot } from "../catalog/catalog-cache.js";
import { packageNotFound, versionNotFound } from "./errors.js";

const candidate = (rev: CatalogRevision) => ({
  version: rev.definition.metadata.version,
  releaseVersion: rev.definition.releaseVersion,
  repositoryPriority: rev.repositoryPriority,
  rev,
});

/** Every revision of `name`; PackageNotFound when the catalog has none. */
export function cosmosRevisions(snapshot: CatalogSnapshot, name: string): CatalogRevision[] {
  const revisions = snapshot.byName.get(name);
  if (!revisions || revisions.length === 0) throw packageNotFound(name);
  return revisions;
}

/**
 * The revision Cosmos would have chosen. Throws PackageNotFound / VersionNotFound.
 * @example cosmosRevision(await ctx.catalog.get(), "time-server").definition.metadata.version
 */
export function cosmosRevision(snapshot: CatalogSnapshot, name: string, version?: string): CatalogRevision {
  const all = cosmosRevisions(snapshot, name).map(candidate);
  if (version === undefined) return cosmosDefaultVersion(all, name).rev;
  const exact = all.filter((c) => c.version === version);
  if (exact.length === 0) throw versionNotFound(name, version);
  return cosmosDefaultVersion(exact, name).rev;
}

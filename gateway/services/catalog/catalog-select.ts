/**
 * Choosing package revisions out of the catalog snapshot, shared by the package routes and by
 * whatever else turns "name + version request" into one revision (installs): Flotilla's rule
 * from universe/versions (exact version, semver range, or latest), applied across every
 * repository, with repository priority breaking ties.
 */
import type { VersionChangeSide } from "../../../universe/versions/index.js";
import {
  compareVersions,
  isPrerelease,
  selectVersion,
  versionView,
} from "../../../universe/versions/index.js";
import type { PackageVersion } from "../../contract/catalog.js";
import { ApiError } from "../../errors.js";
import type { CatalogRevision, CatalogSnapshot } from "./catalog-cache.js";

/** Every revision of a package, from every repository; 404 when there is none. */
export function revisionsOf(snapshot: CatalogSnapshot, name: string): CatalogRevision[] {
  const revisions = snapshot.byName.get(name);
  if (!revisions || revisions.length === 0) {
    throw new ApiError(
      "NOT_FOUND",
      `Package [${name}] not found in any repository; search with GET /v1/packages?q=…`,
      "PACKAGE_NOT_FOUND",
      { package: name },
    );
  }
  return revisions;
}

/**
 * The revision a request selects: an exact version string, a semver range, or latest when
 * `request` is omitted. Throws 404 (no package, no matching version) or 400 (neither a version
 * nor a range), each listing the versions there are.
 * @example selectRevision(await ctx.catalog.get(), "nginx", "^1.2")
 */
export function selectRevision(
  snapshot: CatalogSnapshot,
  name: string,
  request?: string,
  options: { includePrerelease?: boolean | undefined } = {},
): CatalogRevision {
  const candidates = revisionsOf(snapshot, name).map((rev) => ({
    version: rev.definition.metadata.version,
    releaseVersion: rev.definition.releaseVersion,
    repositoryPriority: rev.repositoryPriority,
    rev,
  }));
  return selectVersion(candidates, request, {
    packageName: name,
    includePrerelease: options.includePrerelease === true,
  }).rev;
}

/** Where a revision came from, as the API shows it. */
export const repositoryRef = (rev: CatalogRevision) => ({
  id: rev.repositoryId,
  name: rev.repositoryName,
  uri: rev.repositoryUri,
  index: rev.repositoryPriority,
});

/** The package source label (DCOS_PACKAGE_SOURCE) of a revision: its repository's URI, if any. */
export const sourceOf = (rev: CatalogRevision): string | undefined => rev.repositoryUri ?? undefined;

/** The revision as one side of a version change (upgradesFrom / downgradesTo rules). */
export function changeSide(rev: CatalogRevision): VersionChangeSide {
  const { metadata, format, releaseVersion } = rev.definition;
  return {
    version: metadata.version,
    packagingVersion: metadata.packagingVersion,
    format,
    releaseVersion,
    ...(metadata.upgradesFrom && { upgradesFrom: metadata.upgradesFrom }),
    ...(metadata.downgradesTo && { downgradesTo: metadata.downgradesTo }),
  };
}

/** Newest version first; equal versions by repository priority, then newest revision. */
export function newestFirst(a: CatalogRevision, b: CatalogRevision): number {
  return (
    compareVersions(b.definition.metadata.version, a.definition.metadata.version) ||
    a.repositoryPriority - b.repositoryPriority ||
    b.definition.releaseVersion - a.definition.releaseVersion
  );
}

export function versionEntry(rev: CatalogRevision): PackageVersion {
  const view = versionView(rev.definition.metadata.version);
  return {
    version: view.raw,
    releaseVersion: rev.definition.releaseVersion,
    repository: repositoryRef(rev),
    semver: { value: view.semver, loose: view.loose, prerelease: isPrerelease(view) },
    digest: rev.digest,
  };
}

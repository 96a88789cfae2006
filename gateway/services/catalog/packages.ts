/**
 * Reading the catalog: ranked search, the versions of a package, and the description of one
 * version. All of it is served from the in-memory snapshot (catalog-cache.ts), so a read
 * parses no JSON rows; any viewer may read, whatever clusters its token is limited to.
 */
import { rankPackages } from "../../../universe/search/index.js";
import { compareVersions, downgradesTo, upgradesTo } from "../../../universe/versions/index.js";
import { requireUser } from "../../auth/principal.js";
import type { PackageDescription, PackageVersion } from "../../contract/catalog.js";
import type { Ctx } from "../../env.js";
import {
  changeSide,
  newestFirst,
  repositoryRef,
  revisionsOf,
  selectRevision,
  versionEntry,
} from "./catalog-select.js";
import { searchResultJson } from "./search-json.js";

export interface SearchInput {
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** Flotilla's ranked search (universe/search), one page of it, as the JSON body (search-json.ts). */
export async function searchCatalog(ctx: Ctx, input: SearchInput): Promise<string> {
  requireUser(ctx.principal, "viewer");
  const snapshot = await ctx.catalog.get();
  const page = rankPackages(snapshot.search, input.q, { limit: input.limit, offset: input.offset });
  return searchResultJson(page, input.limit, input.offset);
}

/** Every version of a package, newest first, with what `latest` selects. */
export async function listVersions(
  ctx: Ctx,
  name: string,
): Promise<{ name: string; latest: string; versions: PackageVersion[] }> {
  requireUser(ctx.principal, "viewer");
  const snapshot = await ctx.catalog.get();
  const revisions = [...revisionsOf(snapshot, name)].sort(newestFirst);
  const latest = selectRevision(snapshot, name).definition.metadata.version;
  return { name, latest, versions: revisions.map(versionEntry) };
}

/**
 * One version of a package in full: metadata, config schema, resource, notes, templates, and
 * the versions an install of it could move to.
 */
export async function describePackage(
  ctx: Ctx,
  name: string,
  request: { version?: string | undefined; includePrerelease?: boolean | undefined },
): Promise<PackageDescription> {
  requireUser(ctx.principal, "viewer");
  const snapshot = await ctx.catalog.get();
  const rev = selectRevision(snapshot, name, request.version, request);
  const def = rev.definition;
  const sides = [...revisionsOf(snapshot, name)].sort(newestFirst).map(changeSide);
  const current = changeSide(rev);
  const versions = (list: { version: string }[]) => list.map((s) => s.version).sort(compareVersions);
  const meta = def.metadata;
  return {
    name: meta.name,
    version: meta.version,
    releaseVersion: def.releaseVersion,
    format: def.format,
    packagingVersion: meta.packagingVersion,
    repository: repositoryRef(rev),
    digest: rev.digest,
    metadata: { ...meta },
    config: def.config ?? null,
    resource: def.resource ?? null,
    notes: {
      preInstall: meta.preInstallNotes ?? null,
      postInstall: meta.postInstallNotes ?? null,
      postUninstall: meta.postUninstallNotes ?? null,
    },
    templates: (["marathon", "group", "jobs"] as const).filter((t) => def.templates[t] !== undefined),
    upgradesTo: versions(upgradesTo(current, sides)),
    downgradesTo: versions(downgradesTo(current, sides)),
    dependencies: { ...(meta.dependencies ?? {}) },
    readme: def.readme ?? null,
  };
}

/**
 * The installs' view of the catalog snapshot: a package's revisions as version candidates,
 * Flotilla's version rule over them, a revision by id, and rendering a revision into the plan
 * of an install.
 */
import type { PackageDefinition } from "../../../universe/models/package.js";
import type { InstallPlan } from "../../../universe/models/plan.js";
import type { ResolvedOptions } from "../../../universe/options/resolve.js";
import { renderInstallPlan } from "../../../universe/render/render-plan.js";
import { selectVersion, type VersionCandidate } from "../../../universe/versions/index.js";
import type { CatalogRevision, CatalogSnapshot } from "../catalog/catalog-cache.js";
import { canonicalAppId, defaultAppId } from "./app-ids.js";

/** One catalog revision as a candidate for version selection and dependency resolution. */
export interface Candidate extends VersionCandidate {
  name: string;
  dependencies: Record<string, string>;
  revision: CatalogRevision;
}

export const candidateOf = (revision: CatalogRevision): Candidate => ({
  name: revision.definition.metadata.name,
  version: revision.definition.metadata.version,
  releaseVersion: revision.definition.releaseVersion,
  repositoryPriority: revision.repositoryPriority,
  dependencies: revision.definition.metadata.dependencies ?? {},
  revision,
});

/** Every revision of `name` in the catalog; empty when there is no such package. */
export const candidatesOf = (snapshot: CatalogSnapshot, name: string): Candidate[] =>
  (snapshot.byName.get(name) ?? []).map(candidateOf);

/**
 * The revision of `name` that `request` (exact version, semver range or latest) selects.
 * Throws the universe errors PACKAGE_NOT_FOUND / VERSION_NOT_FOUND (404), INVALID_ARGUMENT (400).
 */
export const selectCandidate = (snapshot: CatalogSnapshot, name: string, request?: string): Candidate =>
  selectVersion(candidatesOf(snapshot, name), request, { packageName: name });

const byId = new WeakMap<CatalogSnapshot, Map<string, CatalogRevision>>();

/** The catalog revision with this id, if the catalog still has it. */
export function revisionById(snapshot: CatalogSnapshot, id: string): CatalogRevision | undefined {
  let index = byId.get(snapshot);
  if (!index) {
    index = new Map(snapshot.revisions.map((r) => [r.id, r]));
    byId.set(snapshot, index);
  }
  return index.get(id);
}

export interface RenderedInstall {
  appId: string;
  plan: InstallPlan;
  options: ResolvedOptions;
}

/**
 * Renders `revision` for an install. Without an `appId`, the default one (see defaultAppId) is
 * chosen from a first render and the plan rendered again with it, so that the plan's apps sit
 * under the install's id whichever way it was chosen, and updates render alike.
 */
export function renderForInstall(
  revision: CatalogRevision,
  options: unknown,
  appId?: string,
): RenderedInstall {
  const def: PackageDefinition = revision.definition;
  const source = revision.repositoryUri ?? undefined;
  const id = appId === undefined ? defaultAppId(renderInstallPlan(def, { options, source }).plan) : appId;
  const canonical = canonicalAppId(id);
  const rendered = renderInstallPlan(def, { options, appId: canonical, source });
  return { appId: canonical, plan: rendered.plan, options: rendered.options };
}

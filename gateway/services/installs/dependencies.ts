/**
 * Which installs a request makes: the package and, before it, every dependency it reaches
 * (metadata.dependencies, semver ranges), resolved over the catalog. A package already
 * installed on the cluster is not installed again: the resolver only sees its installed
 * versions, so an install that satisfies the range is reused and one that does not is a
 * conflict naming it.
 */
import { isUniverseError } from "../../../universe/errors.js";
import { type ResolverPackage, resolveDependencies } from "../../../universe/resolve/index.js";
import { versionSatisfies, versionView } from "../../../universe/versions/index.js";
import { conflict } from "../../errors.js";
import type { CatalogSnapshot } from "../catalog/catalog-cache.js";
import { type Candidate, candidatesOf, revisionById } from "./catalog-lookup.js";
import type { CurrentInstall } from "./rows.js";

/** One package of the request, in install order (dependencies first, the package last). */
export type InstallStep =
  | { kind: "install"; candidate: Candidate; root: boolean }
  | { kind: "reuse"; existing: CurrentInstall };

interface Node extends ResolverPackage {
  candidate?: Candidate;
  existing?: CurrentInstall;
}

const byPackage = (existing: readonly CurrentInstall[]) => {
  const map = new Map<string, CurrentInstall[]>();
  for (const e of existing) map.set(e.install.packageName, [...(map.get(e.install.packageName) ?? []), e]);
  return map;
};

const describeInstalled = (list: readonly CurrentInstall[]) =>
  list.map((e) => `${e.revision.packageVersion} as ${e.install.appId}`).join(", ");

/**
 * The steps of installing `root` on a cluster that already runs `existing`.
 * Throws DEPENDENCY_CONFLICT / DEPENDENCY_CYCLE (409) and PACKAGE_NOT_FOUND (404) for a
 * dependency nobody publishes; nothing is written before these checks pass.
 */
export function resolveInstallSteps(
  snapshot: CatalogSnapshot,
  root: Candidate,
  existing: readonly CurrentInstall[],
): InstallStep[] {
  const installed = byPackage(existing);
  const versionsOf = (name: string): Node[] => {
    if (name === root.name) return [{ ...root, candidate: root }];
    const onCluster = installed.get(name);
    // An installed package's own dependencies were settled when it was installed.
    if (onCluster)
      return onCluster.map((e) => ({
        name,
        version: e.revision.packageVersion,
        dependencies: {},
        existing: e,
      }));
    return candidatesOf(snapshot, name)
      .sort((a, b) => a.repositoryPriority - b.repositoryPriority || b.releaseVersion - a.releaseVersion)
      .map((c) => ({ ...c, candidate: c }));
  };
  let packages: Node[];
  try {
    packages = resolveDependencies({ versionsOf }, { name: root.name }).packages;
  } catch (e) {
    const name = isUniverseError(e) && e.code === "DEPENDENCY_CONFLICT" ? e.details?.package : undefined;
    const onCluster = typeof name === "string" ? installed.get(name) : undefined;
    if (isUniverseError(e) && onCluster) {
      throw conflict(
        `${e.message}. [${name}] is installed on this cluster (${describeInstalled(onCluster)}) and is reused rather than installed twice: update it first to a version that satisfies every range`,
        "DEPENDENCY_CONFLICT",
        {
          ...e.details,
          installed: onCluster.map((x) => ({ appId: x.install.appId, version: x.revision.packageVersion })),
        },
      );
    }
    throw e;
  }
  return packages.map((p) =>
    p.existing
      ? { kind: "reuse", existing: p.existing }
      : { kind: "install", candidate: p.candidate!, root: p.name === root.name },
  );
}

const satisfies = (version: string, range: string) =>
  version === range || versionSatisfies(versionView(version), range);

/**
 * The installs (ids) that satisfy each of `dependencies` on the cluster, for an update or a
 * rollback that does not install anything new. 409 DEPENDENCY_NOT_INSTALLED naming what is
 * missing otherwise.
 */
export function installedDependencies(
  subject: string,
  dependencies: Record<string, string>,
  others: readonly CurrentInstall[],
): string[] {
  const installed = byPackage(others);
  const ids: string[] = [];
  const missing: string[] = [];
  for (const [name, range] of Object.entries(dependencies)) {
    const found = installed.get(name)?.find((e) => satisfies(e.revision.packageVersion, range));
    if (found) ids.push(found.install.id);
    else {
      const there = installed.get(name);
      missing.push(
        `[${name}] ${range}${there ? ` (installed: ${describeInstalled(there)})` : " (not installed)"}`,
      );
    }
  }
  if (missing.length > 0) {
    throw conflict(
      `${subject} needs ${missing.join(", ")} on this cluster; install or update those first`,
      "DEPENDENCY_NOT_INSTALLED",
      { missing },
    );
  }
  return ids;
}

/**
 * 409 BREAKS_DEPENDENTS when moving `install` to `version` would leave an install that depends
 * on it outside the range its package asks for. Dependents whose revision the catalog no
 * longer has cannot say their range and are not checked.
 */
export function assertDependentsSatisfied(
  snapshot: CatalogSnapshot,
  install: { id: string; appId: string; packageName: string },
  version: string,
  others: readonly CurrentInstall[],
): void {
  const broken: string[] = [];
  for (const other of others) {
    if (!other.revision.dependsOn.includes(install.id)) continue;
    const def = revisionById(snapshot, other.revision.packageRevisionId)?.definition;
    const range = def?.metadata.dependencies?.[install.packageName];
    if (range !== undefined && !satisfies(version, range))
      broken.push(`${other.install.appId} requires ${range}`);
  }
  if (broken.length > 0) {
    throw conflict(
      `moving ${install.appId} to [${install.packageName}] ${version} would break ${broken.join(", ")}; update those first, or choose a version in range`,
      "BREAKS_DEPENDENTS",
      { appId: install.appId, version, broken },
    );
  }
}

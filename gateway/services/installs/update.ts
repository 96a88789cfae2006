/**
 * Updating an install's options and/or version (Cosmos's service update, plus version changes
 * that Cosmos open source refused): options merge over the previous user options unless
 * `replace`; a version change must be allowed by the packages' upgradesFrom / downgradesTo.
 */
import { mergeOptions } from "../../../universe/options/merge.js";
import { assertVersionChange, type VersionChangeSide } from "../../../universe/versions/index.js";
import { requireUser } from "../../auth/principal.js";
import type { InstallChange, UpdateInstallInput } from "../../contract/installs.js";
import type { Ctx } from "../../env.js";
import type { CatalogRevision } from "../catalog/catalog-cache.js";
import { getClusterFor } from "../clusters/find.js";
import { assertNoIdClash } from "./app-ids.js";
import {
  type Candidate,
  candidateOf,
  renderForInstall,
  revisionById,
  selectCandidate,
} from "./catalog-lookup.js";
import { assertDependentsSatisfied, installedDependencies } from "./dependencies.js";
import { writeNextRevision } from "./next-revision.js";
import { type CurrentInstall, clusterInstalls, findInstall, occupantsOf, storedPlan } from "./rows.js";

function sideOf(revision: CatalogRevision): VersionChangeSide {
  const { metadata, format, releaseVersion } = revision.definition;
  return {
    version: metadata.version,
    packagingVersion: metadata.packagingVersion,
    upgradesFrom: metadata.upgradesFrom,
    downgradesTo: metadata.downgradesTo,
    format,
    releaseVersion,
  };
}

/** The installed side; when the catalog no longer has it, only the target's lists can decide. */
function installedSide(current: CurrentInstall, installed: CatalogRevision | undefined, target: Candidate) {
  if (installed) return sideOf(installed);
  const { packageVersion: version, releaseVersion } = current.revision;
  return { version, releaseVersion, format: target.revision.definition.format } satisfies VersionChangeSide;
}

/** `PATCH /v1/clusters/{cluster}/installs/{appId}` (operator). */
export async function updateInstall(
  ctx: Ctx,
  clusterRef: string,
  appId: string,
  input: UpdateInstallInput,
): Promise<InstallChange> {
  const user = requireUser(ctx.principal, "operator");
  const { db } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const current = await findInstall(db, cluster, appId);
  const [snapshot, all] = await Promise.all([ctx.catalog.get(), clusterInstalls(db, cluster.id)]);
  const { install, revision } = current;
  const name = install.packageName;
  const installed = revisionById(snapshot, revision.packageRevisionId);
  const target =
    input.version !== undefined
      ? selectCandidate(snapshot, name, input.version)
      : installed
        ? candidateOf(installed)
        : selectCandidate(snapshot, name, revision.packageVersion);
  const direction = assertVersionChange(
    installedSide(current, installed, target),
    sideOf(target.revision),
    name,
  );

  const userOptions = input.replace
    ? (input.options ?? {})
    : mergeOptions(revision.userOptions, input.options ?? {});
  const rendered = renderForInstall(target.revision, userOptions, install.appId);
  const others = all.filter((o) => o.install.id !== install.id);
  assertNoIdClash(install.appId, rendered.plan, occupantsOf(others));
  const dependsOn = installedDependencies(`[${name}] ${target.version}`, target.dependencies, others);
  assertDependentsSatisfied(snapshot, install, target.version, others);

  return writeNextRevision(
    ctx,
    user,
    cluster,
    current,
    {
      packageVersion: target.version,
      releaseVersion: target.releaseVersion,
      packageRevisionId: target.revision.id,
      userOptions: rendered.options.user,
      resolvedOptions: rendered.options.resolved,
      plan: storedPlan(rendered.plan),
      reason: "update",
      dependsOn,
      restoredRevision: null,
    },
    {
      action: "install.update",
      target: install.id,
      details: {
        package: name,
        from: revision.packageVersion,
        to: target.version,
        direction,
        replace: input.replace,
        optionsGiven: input.options !== undefined,
      },
    },
  );
}

/** Turns install rows into their API shapes (gateway/contract/installs.ts). */
import type { InstallDetail, InstallSummary } from "../../contract/installs.js";
import { iso } from "../clusters/views.js";
import type { CurrentInstall, RevisionRow } from "./rows.js";

export function installSummary({ install, revision }: CurrentInstall): InstallSummary {
  return {
    id: install.id,
    clusterId: install.clusterId,
    appId: install.appId,
    package: install.packageName,
    version: revision.packageVersion,
    releaseVersion: revision.releaseVersion,
    revision: install.currentRevision,
    createdAt: iso(install.createdAt),
    updatedAt: iso(install.updatedAt),
  };
}

export const revisionSummary = (r: RevisionRow) => ({
  revision: r.revision,
  reason: r.reason,
  version: r.packageVersion,
  createdAt: iso(r.createdAt),
  createdBy: r.createdBy,
  restoredRevision: r.restoredRevision,
});

export interface DetailExtras {
  history: readonly RevisionRow[];
  /** The other installs of the cluster, to name dependencies by app id. */
  others: readonly CurrentInstall[];
  postInstallNotes: string | null;
}

export function installDetail(current: CurrentInstall, extras: DetailExtras): InstallDetail {
  const { install, revision } = current;
  const appIdOf = new Map(extras.others.map((o) => [o.install.id, o.install.appId]));
  return {
    ...installSummary(current),
    options: { user: revision.userOptions, resolved: revision.resolvedOptions },
    // The stored JSON as it is: the wire shape of a plan.
    plan: revision.plan as InstallDetail["plan"],
    dependsOn: revision.dependsOn.map((id) => appIdOf.get(id) ?? id),
    requiredBy: extras.others
      .filter((o) => o.install.id !== install.id && o.revision.dependsOn.includes(install.id))
      .map((o) => o.install.appId),
    history: extras.history.map(revisionSummary),
    postInstallNotes: extras.postInstallNotes,
  };
}

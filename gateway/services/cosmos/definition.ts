/**
 * Package definitions in the forms Cosmos handed out: the Universe index entry (describe v3,
 * service describe/update: package.json fields, releaseVersion, config, resource, the template
 * as base64), the flat v2 describe, and the short details `package list` shows. For an install,
 * the definition is the catalog revision it was rendered from or, when a repository refresh or
 * delete took that revision away, the DCOS_PACKAGE_DEFINITION label its plan carries — as
 * Cosmos itself read it back from the Marathon app's labels.
 */
import { base64ToText } from "../../../universe/encoding.js";
import { toIndexEntry } from "../../../universe/import/index-entry.js";
import { type PackagingVersion, packageFormatOf } from "../../../universe/models/package.js";
import type { VersionChangeSide } from "../../../universe/versions/index.js";
import type { CatalogSnapshot } from "../catalog/catalog-cache.js";
import { revisionById } from "../installs/catalog-lookup.js";
import { type CurrentInstall, planOf } from "../installs/rows.js";

export type IndexEntry = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The definition label of the first app or job of a plan, decoded; undefined when unreadable. */
function labelledDefinition(plan: ReturnType<typeof planOf>): IndexEntry | undefined {
  for (const item of [...plan.apps, ...plan.jobs]) {
    const labels = (item as { labels?: unknown }).labels;
    const encoded = isObject(labels) ? labels.DCOS_PACKAGE_DEFINITION : undefined;
    if (typeof encoded !== "string") continue;
    try {
      const parsed: unknown = JSON.parse(base64ToText(encoded));
      if (isObject(parsed)) return parsed;
    } catch {
      // A label someone edited by hand; try the next item, then fall back to name and version.
    }
  }
  return undefined;
}

/** The index-entry form of what `current` runs. */
export function installedDefinition(snapshot: CatalogSnapshot, current: CurrentInstall): IndexEntry {
  const { install, revision } = current;
  const rev = revisionById(snapshot, revision.packageRevisionId);
  if (rev) return toIndexEntry(rev.definition);
  return (
    labelledDefinition(planOf(revision)) ?? {
      name: install.packageName,
      version: revision.packageVersion,
      releaseVersion: revision.releaseVersion,
    }
  );
}

/** Describe v2: the package flat, without releaseVersion, `selected`/`framework` defaulted. */
export function describeV2(entry: IndexEntry): IndexEntry {
  const { releaseVersion: _, ...rest } = entry;
  return { ...rest, selected: rest.selected ?? false, framework: rest.framework ?? false };
}

const DETAIL_KEYS = [
  "packagingVersion",
  "name",
  "version",
  "maintainer",
  "description",
  "tags",
  "selected",
  "scm",
  "website",
  "framework",
  "preInstallNotes",
  "postInstallNotes",
  "postUninstallNotes",
  "licenses",
] as const;

/** `package list`'s packageInformation: the package.json details and the resource. */
export function packageInformation(entry: IndexEntry) {
  const packageDefinition: IndexEntry = {};
  for (const key of DETAIL_KEYS) if (entry[key] !== undefined) packageDefinition[key] = entry[key];
  return {
    packageDefinition,
    ...(isObject(entry.resource) && { resourceDefinition: entry.resource }),
  };
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : undefined;

/** The installed side of a version change, read from its definition. */
export function changeSideOf(entry: IndexEntry): VersionChangeSide {
  const packagingVersion = typeof entry.packagingVersion === "string" ? entry.packagingVersion : "4.0";
  const upgradesFrom = strings(entry.upgradesFrom);
  const downgradesTo = strings(entry.downgradesTo);
  return {
    version: String(entry.version),
    packagingVersion,
    format: packageFormatOf(packagingVersion as PackagingVersion),
    ...(typeof entry.releaseVersion === "number" && { releaseVersion: entry.releaseVersion }),
    ...(upgradesFrom && { upgradesFrom }),
    ...(downgradesTo && { downgradesTo }),
  };
}

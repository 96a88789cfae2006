/**
 * Imports a built Universe JSON index (`{"packages": […]}`, repo versions v3, v4 and v5).
 * Each element is checked on its own; a bad one is reported with its position and reason.
 */
import { UniverseError } from "../errors.js";
import { fromIndexEntry } from "./index-entry.js";
import { type ImportResult, reasonOf } from "./result.js";

/** Media type of a built index, as Universe servers sent it. */
export const UNIVERSE_INDEX_MEDIA_TYPE = /^application\/vnd\.dcos\.universe\.repo\+json;.*version=v[345]/;

/**
 * @example importUniverseIndex(JSON.parse(await (await fetch(url)).text()))
 */
export function importUniverseIndex(json: unknown): ImportResult {
  if (
    typeof json !== "object" ||
    json === null ||
    !Array.isArray((json as { packages?: unknown }).packages)
  ) {
    throw new UniverseError(
      "INVALID_ARGUMENT",
      'not a Universe index: expected a JSON object {"packages": [...]}',
    );
  }
  const entries = (json as { packages: unknown[] }).packages;
  const result: ImportResult = { packages: [], failures: [], warnings: [] };
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    const label = describe(entry);
    const path = `packages[${i}]${label ? ` (${label})` : ""}`;
    try {
      const def = fromIndexEntry(entry, path);
      const key = `${def.metadata.name}\u0000${def.releaseVersion}`;
      if (seen.has(key)) {
        throw new UniverseError(
          "INVALID_PACKAGE",
          `${path}: ${def.metadata.name} releaseVersion ${def.releaseVersion} appears twice in the index`,
        );
      }
      seen.add(key);
      result.packages.push(def);
      result.warnings.push(...def.warnings);
    } catch (e) {
      result.failures.push({ path, reason: reasonOf(e) });
    }
  });
  return result;
}

function describe(entry: unknown): string {
  if (typeof entry !== "object" || entry === null) return "";
  const { name, version } = entry as { name?: unknown; version?: unknown };
  return typeof name === "string" ? `${name}@${typeof version === "string" ? version : "?"}` : "";
}

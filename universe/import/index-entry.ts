/**
 * The built Universe JSON index form of one revision (what a Universe server hands out and
 * Cosmos stored): the package.json fields plus `releaseVersion`, parsed `config`, `resource`,
 * `command`, and the template base64-encoded under `marathon.v2AppMustacheTemplate`.
 * Flotilla's extra templates travel under `flotilla`, which Cosmos clients ignore.
 */

import { base64ToText, textToBase64 } from "../encoding.js";
import { UniverseError } from "../errors.js";
import type { PackageDefinition, PackageTemplates } from "../models/package.js";
import { parseRevisionParts, type RevisionParts } from "./revision.js";

const INDEX_ONLY_KEYS = new Set(["releaseVersion", "config", "resource", "command", "marathon", "flotilla"]);

/** A revision as one element of `{"packages": […]}` of a Universe index. */
export function toIndexEntry(def: PackageDefinition): Record<string, unknown> {
  const entry: Record<string, unknown> = { ...def.metadata, releaseVersion: def.releaseVersion };
  if (def.config !== undefined) entry.config = def.config;
  if (def.resource !== undefined) entry.resource = def.resource;
  if (def.command !== undefined) entry.command = def.command;
  if (def.templates.marathon !== undefined) {
    entry.marathon = { v2AppMustacheTemplate: textToBase64(def.templates.marathon) };
  }
  const extra: Record<string, string> = {};
  if (def.templates.group !== undefined) extra.groupMustacheTemplate = textToBase64(def.templates.group);
  if (def.templates.jobs !== undefined) extra.jobsMustacheTemplate = textToBase64(def.templates.jobs);
  if (def.readme !== undefined) extra.readme = def.readme;
  if (Object.keys(extra).length > 0) entry.flotilla = extra;
  return entry;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function decodeTemplate(value: unknown, where: string, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string")
    throw new UniverseError("INVALID_PACKAGE", `${where}: ${field} must be a base64 string`);
  try {
    return base64ToText(value);
  } catch {
    throw new UniverseError("INVALID_PACKAGE", `${where}: ${field} is not valid base64 of UTF-8 text`);
  }
}

/** Parses one index element back into a checked definition. Throws INVALID_PACKAGE. */
export function fromIndexEntry(entry: unknown, where: string): PackageDefinition {
  if (!isObject(entry))
    throw new UniverseError("INVALID_PACKAGE", `${where}: a package entry must be a JSON object`);
  const releaseVersion = entry.releaseVersion;
  if (typeof releaseVersion !== "number" && typeof releaseVersion !== "string") {
    throw new UniverseError("INVALID_PACKAGE", `${where}: releaseVersion is missing`);
  }
  const metadata: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(entry)) if (!INDEX_ONLY_KEYS.has(k)) metadata[k] = v;

  const templates: PackageTemplates = {};
  const marathon = entry.marathon;
  if (marathon !== undefined && !isObject(marathon)) {
    throw new UniverseError(
      "INVALID_PACKAGE",
      `${where}: marathon must be an object with v2AppMustacheTemplate`,
    );
  }
  const m = decodeTemplate(marathon?.v2AppMustacheTemplate, where, "marathon.v2AppMustacheTemplate");
  if (m !== undefined) templates.marathon = m;
  const extra = isObject(entry.flotilla) ? entry.flotilla : {};
  const g = decodeTemplate(extra.groupMustacheTemplate, where, "flotilla.groupMustacheTemplate");
  const j = decodeTemplate(extra.jobsMustacheTemplate, where, "flotilla.jobsMustacheTemplate");
  if (g !== undefined) templates.group = g;
  if (j !== undefined) templates.jobs = j;

  const parts: RevisionParts = { metadata, templates };
  if (entry.config !== undefined) parts.config = entry.config;
  if (entry.resource !== undefined) parts.resource = entry.resource;
  if (entry.command !== undefined) parts.command = entry.command;
  if (typeof extra.readme === "string") parts.readme = extra.readme;
  return parseRevisionParts(parts, { releaseVersion: Number(releaseVersion), path: where });
}

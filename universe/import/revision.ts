/**
 * Builds a checked PackageDefinition from the files of one package revision — the common
 * step of importing a Universe tree, reading a Flotilla bundle and linting a directory.
 * Every problem is a UniverseError naming the file and what is wrong with it.
 */

import { fromUtf8 } from "../encoding.js";
import { UniverseError } from "../errors.js";
import { type ConfigSchema, ConfigSchemaSchema } from "../models/config.js";
import { formatIssues, unknownKeys } from "../models/issues.js";
import {
  PACKAGE_METADATA_KEYS,
  type PackageDefinition,
  PackageMetadataSchema,
  type PackageTemplates,
  packageFormatOf,
} from "../models/package.js";
import { ResourceSchema } from "../models/resource.js";

/** File names a revision may hold, and what each is for. */
export const REVISION_FILES = {
  metadata: "package.json",
  config: "config.json",
  resource: "resource.json",
  command: "command.json",
  marathon: "marathon.json.mustache",
  group: "group.json.mustache",
  jobs: "jobs.json.mustache",
  readme: "README.md",
} as const;

const KNOWN_FILES = new Set<string>(Object.values(REVISION_FILES));

export type RevisionFiles = ReadonlyMap<string, Uint8Array | string>;

export interface RevisionOptions {
  releaseVersion: number;
  /** Where the revision came from, for messages (`repo/packages/H/hello/3`, `app.tgz`). */
  path?: string;
}

const text = (files: RevisionFiles, name: string, where: string): string | undefined => {
  const value = files.get(name);
  if (value === undefined) return undefined;
  if (typeof value === "string") return value;
  try {
    return fromUtf8(value);
  } catch {
    throw new UniverseError("INVALID_PACKAGE", `${where}${name} is not valid UTF-8 text`);
  }
};

function json(files: RevisionFiles, name: string, where: string): unknown {
  const body = text(files, name, where);
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body);
  } catch (e) {
    throw new UniverseError("INVALID_JSON", `${where}${name} is not valid JSON: ${(e as Error).message}`);
  }
}

/** The parsed contents of a revision, whether read from files or from an index entry. */
export interface RevisionParts {
  metadata: unknown;
  config?: unknown;
  resource?: unknown;
  command?: unknown;
  templates: PackageTemplates;
  readme?: string;
  /** File names present, to warn about the ones that are not part of a package. */
  fileNames?: Iterable<string>;
}

/**
 * Parses and checks one revision from its files.
 * @example parseRevisionFiles(new Map([["package.json", "{…}"]]), { releaseVersion: 0 })
 */
export function parseRevisionFiles(files: RevisionFiles, opts: RevisionOptions): PackageDefinition {
  const where = opts.path ? `${opts.path}/` : "";
  const templates: PackageTemplates = {};
  const marathon = text(files, REVISION_FILES.marathon, where);
  const group = text(files, REVISION_FILES.group, where);
  const jobs = text(files, REVISION_FILES.jobs, where);
  if (marathon !== undefined) templates.marathon = marathon;
  if (group !== undefined) templates.group = group;
  if (jobs !== undefined) templates.jobs = jobs;
  const parts: RevisionParts = {
    metadata: json(files, REVISION_FILES.metadata, where),
    config: json(files, REVISION_FILES.config, where),
    resource: json(files, REVISION_FILES.resource, where),
    command: json(files, REVISION_FILES.command, where),
    templates,
    fileNames: files.keys(),
  };
  const readme = text(files, REVISION_FILES.readme, where);
  if (readme !== undefined) parts.readme = readme;
  return parseRevisionParts(parts, opts);
}

/** Checks the parts of one revision and builds its definition. Throws INVALID_PACKAGE. */
export function parseRevisionParts(parts: RevisionParts, opts: RevisionOptions): PackageDefinition {
  const where = opts.path ? `${opts.path}/` : "";
  if (!Number.isSafeInteger(opts.releaseVersion) || opts.releaseVersion < 0) {
    throw new UniverseError("INVALID_PACKAGE", `${where}releaseVersion must be a whole number ≥ 0`);
  }
  if (parts.metadata === undefined)
    throw new UniverseError("INVALID_PACKAGE", `${where}package.json is missing`);
  const meta = PackageMetadataSchema.safeParse(parts.metadata);
  if (!meta.success) {
    const issues = formatIssues(meta.error.issues);
    throw new UniverseError("INVALID_PACKAGE", `${where}package.json: ${issues.join("; ")}`, { issues });
  }
  const metadata = meta.data;
  const pv = metadata.packagingVersion;
  const format = packageFormatOf(pv);
  const warnings = unknownKeys(parts.metadata, PACKAGE_METADATA_KEYS).map(
    (k) => `${where}package.json: unknown field "${k}" is kept and ignored`,
  );

  let config: ConfigSchema | undefined;
  if (parts.config !== undefined) {
    const parsed = ConfigSchemaSchema.safeParse(parts.config);
    if (!parsed.success || typeof parts.config !== "object" || parts.config === null) {
      const issues = parsed.success ? ["/: must be a JSON object"] : formatIssues(parsed.error.issues);
      throw new UniverseError("INVALID_PACKAGE", `${where}config.json: ${issues.join("; ")}`, { issues });
    }
    config = parts.config as ConfigSchema;
  }

  let resource: PackageDefinition["resource"];
  if (parts.resource !== undefined) {
    const parsed = ResourceSchema.safeParse(parts.resource);
    if (!parsed.success) {
      const issues = formatIssues(parsed.error.issues);
      throw new UniverseError("INVALID_PACKAGE", `${where}resource.json: ${issues.join("; ")}`, { issues });
    }
    resource = parsed.data;
  }

  if (parts.command !== undefined && (pv === "4.0" || pv === "5.0")) {
    throw new UniverseError(
      "INVALID_PACKAGE",
      `${where}command.json is not allowed with packagingVersion ${pv}; describe CLIs in resource.json`,
    );
  }
  const { templates } = parts;
  if (pv === "2.0" && templates.marathon === undefined) {
    throw new UniverseError(
      "INVALID_PACKAGE",
      `${where}marathon.json.mustache is required with packagingVersion 2.0`,
    );
  }
  if (format === "universe" && (templates.group !== undefined || templates.jobs !== undefined)) {
    warnings.push(
      `${where}group/jobs templates are a Flotilla extension; set packagingVersion "flotilla/1" to say so`,
    );
  }
  if (metadata.dependencies && format === "universe") {
    warnings.push(`${where}package.json: "dependencies" is a Flotilla field; Cosmos clients ignore it`);
  }
  for (const name of parts.fileNames ?? []) {
    if (!KNOWN_FILES.has(name)) warnings.push(`${where}${name}: not a package file; ignored`);
  }

  const def: PackageDefinition = {
    metadata,
    releaseVersion: opts.releaseVersion,
    format,
    templates,
    warnings,
  };
  if (config !== undefined) def.config = config;
  if (resource !== undefined) def.resource = resource;
  if (parts.command !== undefined) def.command = parts.command;
  if (parts.readme !== undefined) def.readme = parts.readme;
  return def;
}

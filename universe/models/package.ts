/**
 * Package metadata (`package.json` of a Universe revision or a Flotilla bundle) and the
 * in-memory definition of one package revision that the rest of the library works on.
 *
 * Universe packagingVersion 2.0–5.0 are accepted as their authors wrote them; the Flotilla
 * format (`packagingVersion: "flotilla/1"`) adds semver-range `dependencies`. Version strings
 * are opaque: they are never rejected for not being semver.
 */
import { z } from "zod";
import type { ConfigSchema } from "./config.js";
import type { Resource } from "./resource.js";

export const PACKAGE_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/;
export const UNIVERSE_PACKAGING_VERSIONS = ["2.0", "3.0", "4.0", "5.0"] as const;
export const FLOTILLA_PACKAGING_VERSION = "flotilla/1";

const license = z.looseObject({ name: z.string(), url: z.string().optional() });

export const PackageMetadataSchema = z.looseObject({
  packagingVersion: z.enum([...UNIVERSE_PACKAGING_VERSIONS, FLOTILLA_PACKAGING_VERSION], {
    error: `packagingVersion must be one of ${[...UNIVERSE_PACKAGING_VERSIONS, FLOTILLA_PACKAGING_VERSION].join(", ")}`,
  }),
  name: z.string().regex(PACKAGE_NAME, {
    error: "name must be lower-case letters, digits and hyphens, starting with a letter (e.g. my-service)",
  }),
  version: z
    .string()
    .min(1, { error: "version must not be empty" })
    .max(128)
    .regex(/^\S+$/, { error: "version must not contain white space" }),
  maintainer: z.string(),
  description: z.string(),
  tags: z.array(z.string()).default([]),
  scm: z.string().optional(),
  website: z.string().optional(),
  framework: z.boolean().optional(),
  selected: z.boolean().optional(),
  preInstallNotes: z.string().optional(),
  postInstallNotes: z.string().optional(),
  postUninstallNotes: z.string().optional(),
  licenses: z.array(license).optional(),
  // 3.0
  minDcosReleaseVersion: z.string().optional(),
  hasKnownIssues: z.boolean().optional(),
  lastUpdated: z.number().optional(),
  // 4.0
  upgradesFrom: z.array(z.string()).optional(),
  downgradesTo: z.array(z.string()).optional(),
  // 5.0
  manager: z.looseObject({ packageName: z.string(), minPackageVersion: z.string().optional() }).optional(),
  // Flotilla: other packages this one needs, each with a semver range.
  dependencies: z
    .record(
      z.string().regex(PACKAGE_NAME, { error: "dependency names must be package names" }),
      z.string().min(1, { error: "a dependency needs a version range, e.g. ^1.2" }),
    )
    .optional(),
});

export type PackageMetadata = z.infer<typeof PackageMetadataSchema>;
export type PackagingVersion = PackageMetadata["packagingVersion"];
export type PackageFormat = "universe" | "flotilla";

/** Template files a revision may carry, by role. */
export interface PackageTemplates {
  /** `marathon.json.mustache`: one Marathon app. */
  marathon?: string;
  /** `group.json.mustache`: a Marathon group of several apps (Flotilla). */
  group?: string;
  /** `jobs.json.mustache`: a Metronome job or an array of jobs (Flotilla). */
  jobs?: string;
}

/** One package revision, parsed and checked, ready for version selection and rendering. */
export interface PackageDefinition {
  metadata: PackageMetadata;
  /** Universe's integer revision (directory name or index field); 0 for a lone bundle. */
  releaseVersion: number;
  format: PackageFormat;
  config?: ConfigSchema;
  resource?: Resource;
  /** Legacy `command.json` (pip CLI); kept for Cosmos describe, never used. */
  command?: unknown;
  templates: PackageTemplates;
  readme?: string;
  /** Things worth telling the author that did not stop the import. */
  warnings: string[];
}

/** Known keys of package.json, for reporting the rest as warnings. */
export const PACKAGE_METADATA_KEYS = new Set(Object.keys(PackageMetadataSchema.shape));

export const packageFormatOf = (p: PackagingVersion): PackageFormat =>
  p === FLOTILLA_PACKAGING_VERSION ? "flotilla" : "universe";

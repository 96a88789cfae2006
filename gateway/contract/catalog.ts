/**
 * The catalog API as it travels on the wire (shared with the CLI): repositories in priority
 * order, package search, versions, descriptions, render dry runs and published bundles.
 * Times are ISO-8601 strings; version strings are Universe's opaque strings, never repaired.
 */
import { z } from "zod";
import { PACKAGE_NAME } from "../../universe/models/package.js";
import { NameSchema } from "./common.js";

/** Media type of a built Universe index, as Universe servers sent it (v3, v4 and v5 accepted). */
export const UNIVERSE_REPO_MEDIA_TYPE = "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4";
/** Media type of a bundle, and of a Universe tree uploaded as a `.tgz`. */
export const GZIP_MEDIA_TYPE = "application/gzip";
/** The repository that published bundles go into; created on the first publish, reserved. */
export const BUNDLES_REPOSITORY_NAME = "local";

export const PackageNameSchema = z.string().regex(PACKAGE_NAME, {
  error: "a package name is lower-case letters, digits and hyphens, starting with a letter",
});
/** `sha256:<64 hex>`, the identity of a bundle. */
export const DigestSchema = z.string().regex(/^sha256:[0-9a-f]{64}$/, {
  error: "a digest looks like sha256: followed by 64 lower-case hex digits",
});
/** An exact version string, a semver range (`^1.2`, `>=2 <3`) or `latest`. */
export const VersionRequestSchema = z.string().trim().min(1).max(256);
const flag = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .optional();

// ---- repositories ----

export const RepositoryKindSchema = z.enum(["universe-index", "universe-tree", "bundles"]);

export const RepositorySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** Where the gateway fetches it from on refresh; null for uploads and the bundles repository. */
  uri: z.string().nullable(),
  kind: RepositoryKindSchema,
  /** Position in the priority order, 0 first (as Cosmos numbered repositories). */
  index: z.number().int(),
  /** Package revisions it holds. */
  revisions: z.number().int(),
  createdAt: z.string(),
  importedAt: z.string().nullable(),
});
export type Repository = z.infer<typeof RepositorySchema>;

export const RepositoryListSchema = z.object({ repositories: z.array(RepositorySchema) });

/** Query of an upload (`POST /v1/repositories` with an index or a `.tgz` body). */
export const AddRepositoryQuery = z.object({
  name: NameSchema.optional(),
  /** Where to insert it in the priority order; the end when omitted. */
  index: z.coerce.number().int().min(0).max(10_000).optional(),
});

/** JSON body that adds a repository by URL (fetched only when the gateway allows it). */
export const AddRepositoryByUrlBody = z.strictObject({
  name: NameSchema,
  url: z.url({ protocol: /^https?$/, error: "url must be an http:// or https:// URL" }).max(2048),
  index: z.number().int().min(0).max(10_000).optional(),
});
export type AddRepositoryByUrl = z.infer<typeof AddRepositoryByUrlBody>;

export const MoveRepositoryBody = z.strictObject({
  /** The new position, 0 first; a number past the end moves it to the end. */
  index: z.number().int().min(0).max(10_000),
});

export const ImportFailureSchema = z.object({ path: z.string(), reason: z.string() });

/** What an add or refresh did: the repository, how many revisions went in, and what failed. */
export const RepositoryImportSchema = z.object({
  repository: RepositorySchema,
  imported: z.number().int(),
  failed: z.array(ImportFailureSchema),
  warnings: z.array(z.string()),
});
export type RepositoryImport = z.infer<typeof RepositoryImportSchema>;

// ---- packages ----

export const SearchQuery = z.object({
  q: z.string().max(256).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const PackageSummarySchema = z.object({
  name: z.string(),
  /** The version Cosmos would install by default. */
  currentVersion: z.string(),
  /** Every version with its releaseVersion (as a string, as Cosmos listed them). */
  versions: z.record(z.string(), z.string()),
  description: z.string(),
  tags: z.array(z.string()),
  selected: z.boolean(),
  framework: z.boolean(),
  images: z.record(z.string(), z.unknown()).optional(),
  score: z.number(),
});

export const SearchResultSchema = z.object({
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  results: z.array(PackageSummarySchema),
});

export const RepositoryRefSchema = z.object({
  id: z.string(),
  name: z.string(),
  uri: z.string().nullable(),
  index: z.number().int(),
});

export const PackageVersionSchema = z.object({
  version: z.string(),
  releaseVersion: z.number().int(),
  repository: RepositoryRefSchema,
  /** The semver view: null when none exists; `loose` when it had to be repaired from the string. */
  semver: z.object({ value: z.string().nullable(), loose: z.boolean(), prerelease: z.boolean() }),
  /** sha256 of the bundle it was published from; null for imported Universe revisions. */
  digest: DigestSchema.nullable(),
});
export type PackageVersion = z.infer<typeof PackageVersionSchema>;

export const PackageVersionsSchema = z.object({
  name: z.string(),
  /** What `version` omitted (or `latest`) selects. */
  latest: z.string(),
  /** Newest first. */
  versions: z.array(PackageVersionSchema),
});

export const DescribeQuery = z.object({
  /** Exact version, semver range or `latest` (the default). */
  version: VersionRequestSchema.optional(),
  includePrerelease: flag,
});

export const TemplateKindSchema = z.enum(["marathon", "group", "jobs"]);

export const PackageDescriptionSchema = z.object({
  name: z.string(),
  version: z.string(),
  releaseVersion: z.number().int(),
  format: z.enum(["universe", "flotilla"]),
  packagingVersion: z.string(),
  repository: RepositoryRefSchema,
  digest: DigestSchema.nullable(),
  /** package.json as the author wrote it. */
  metadata: z.record(z.string(), z.unknown()),
  /** config.json: the JSON Schema of the options. */
  config: z.record(z.string(), z.unknown()).nullable(),
  resource: z.record(z.string(), z.unknown()).nullable(),
  notes: z.object({
    preInstall: z.string().nullable(),
    postInstall: z.string().nullable(),
    postUninstall: z.string().nullable(),
  }),
  templates: z.array(TemplateKindSchema),
  /** Versions an install of this version may move to, by the packages' own lists. */
  upgradesTo: z.array(z.string()),
  downgradesTo: z.array(z.string()),
  /** Other packages this one needs (Flotilla packages), name → semver range. */
  dependencies: z.record(z.string(), z.string()),
  readme: z.string().nullable(),
});
export type PackageDescription = z.infer<typeof PackageDescriptionSchema>;

export const RenderBody = z.strictObject({
  version: VersionRequestSchema.optional(),
  includePrerelease: z.boolean().optional(),
  /** The user's options; merged over the package's defaults and validated against config.json. */
  options: z.record(z.string(), z.unknown()).optional(),
  appId: z.string().min(1).max(512).optional(),
});

export const RenderResultSchema = z.object({
  package: z.object({
    name: z.string(),
    version: z.string(),
    releaseVersion: z.number().int(),
    repository: RepositoryRefSchema,
  }),
  /** The install plan: apps and jobs as an install would store them. */
  plan: z.record(z.string(), z.unknown()),
  /** The user's options and the resolved options, kept apart as Cosmos did. */
  options: z.object({
    user: z.record(z.string(), z.unknown()),
    resolved: z.record(z.string(), z.unknown()),
  }),
});

/** One failing option field, as the 400 of a render lists them under `details.errors`. */
export const OptionErrorSchema = z.object({
  pointer: z.string(),
  rule: z.string(),
  value: z.unknown().optional(),
  message: z.string(),
});

export const PublishResultSchema = z.object({
  name: z.string(),
  version: z.string(),
  releaseVersion: z.number().int(),
  digest: DigestSchema,
  repository: RepositoryRefSchema,
  /** False when the same bundle was already published (an idempotent repeat). */
  created: z.boolean(),
});
export type PublishResult = z.infer<typeof PublishResultSchema>;

export const PackageParam = z.object({ name: PackageNameSchema });
export const RepositoryParam = z.object({ repo: z.string().min(1).max(128) });
export const DigestParam = z.object({ digest: DigestSchema });

/**
 * The Cosmos package API as old clients speak it (the DC/OS CLI and DC/OS's generated Go
 * client): request bodies, response shapes and the vendor media types of each endpoint. Bodies
 * are parsed like Cosmos's decoders did: unknown fields are ignored and `null` counts as absent
 * (the Python CLI sends `"packageVersion": null`), so that every old client's request decodes.
 */
import { z } from "zod";
import { AppIdSchema } from "./installs.js";

/** Where a cluster's Cosmos API lives: this stands in for the DC/OS cluster's URL. */
export const COSMOS_BASE = "/cosmos/clusters/{cluster}";

/** The content type of every Cosmos error, whatever the endpoint and the Accept header. */
export const COSMOS_ERROR_MEDIA_TYPE = "application/vnd.dcos.package.error+json;charset=utf-8;version=v1";

/** A vendor media type without parameters, and the `version` parameters it comes in. */
export interface VendorType {
  type: string;
  /** Supported versions; the first is the default (no `version`, `*\/*`, `application/json`). */
  versions: readonly string[];
}

export interface CosmosMediaTypes {
  /** Absent for endpoints without a body (GET /capabilities). */
  request?: VendorType;
  response: VendorType;
}

/** `application/vnd.dcos.<type>;charset=utf-8;version=<v>`, as Cosmos wrote them. */
export const withVersion = (type: string, version: string) => `${type};charset=utf-8;version=${version}`;

const vendor = (family: "package" | "service", kind: string) => ({
  request: (...versions: string[]): VendorType => ({
    type: `application/vnd.dcos.${family}.${kind}-request+json`,
    versions,
  }),
  response: (...versions: string[]): VendorType => ({
    type: `application/vnd.dcos.${family}.${kind}-response+json`,
    versions,
  }),
});

const pkg = (kind: string, response: string[], request = ["v1"]): CosmosMediaTypes => ({
  request: vendor("package", kind).request(...request),
  response: vendor("package", kind).response(...response),
});
const svc = (kind: string): CosmosMediaTypes => ({
  // v2 requests add `managerId`/`packageName` for custom managers, which Flotilla does not have.
  request: vendor("service", kind).request("v1", "v2"),
  response: vendor("service", kind).response("v1"),
});

/**
 * Media types per endpoint, named as Cosmos named them (cosmos-common rpc/MediaTypes.scala).
 * Describe answers v3 (`{package}`, what the DC/OS CLI and the Go client ask for) or v2 (the
 * package flat); Cosmos's long-gone v1 describe is refused with 406.
 */
export const COSMOS_MEDIA = {
  search: pkg("search", ["v1"]),
  describe: pkg("describe", ["v3", "v2"]),
  listVersions: pkg("list-versions", ["v1"]),
  render: pkg("render", ["v1"]),
  install: pkg("install", ["v2", "v1"], ["v1", "v2"]),
  uninstall: pkg("uninstall", ["v1"], ["v1", "v2"]),
  list: pkg("list", ["v1"]),
  repositoryList: pkg("repository.list", ["v1"]),
  repositoryAdd: pkg("repository.add", ["v1"]),
  repositoryDelete: pkg("repository.delete", ["v1"]),
  serviceDescribe: svc("describe"),
  serviceUpdate: svc("update"),
  capabilities: { response: { type: "application/vnd.dcos.capabilities+json", versions: ["v1"] } },
} as const satisfies Record<string, CosmosMediaTypes>;

// ——— request bodies ———

/** `null` and absent mean the same, as they did to Cosmos. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

const PackageName = z.string().min(1).max(128);
const PackageVersion = z.string().min(1).max(128);
const Options = z.record(z.string(), z.unknown());

export const SearchRequest = z.object({ query: optional(z.string().max(256)) });
export const DescribeRequest = z.object({
  packageName: PackageName,
  packageVersion: optional(PackageVersion),
});
export const ListVersionsRequest = z.object({
  packageName: PackageName,
  includePackageVersions: optional(z.boolean()),
});
export const RenderRequest = z.object({
  packageName: PackageName,
  packageVersion: optional(PackageVersion),
  options: optional(Options),
  appId: optional(AppIdSchema),
});
export const InstallRequest = RenderRequest;
export const UninstallRequest = z.object({
  packageName: PackageName,
  appId: optional(AppIdSchema),
  all: optional(z.boolean()),
});
export const ListRequest = z.object({ packageName: optional(PackageName), appId: optional(AppIdSchema) });
export const RepositoryListRequest = z.object({});
export const RepositoryAddRequest = z.object({
  name: z.string().trim().min(1).max(63),
  uri: z.url({ protocol: /^https?$/, error: "uri must be an http:// or https:// URL" }).max(2048),
  index: optional(z.number().int().min(0)),
});
export const RepositoryDeleteRequest = z.object({
  name: optional(z.string().min(1).max(63)),
  uri: optional(z.string().min(1).max(2048)),
});
export const ServiceDescribeRequest = z.object({ appId: AppIdSchema });
export const ServiceUpdateRequest = z.object({
  appId: AppIdSchema,
  packageVersion: optional(PackageVersion),
  options: optional(Options),
  /** Replace the previous user options instead of merging over them; required, as in Cosmos. */
  replace: z.boolean(),
});

// ——— responses (documented in /openapi.json; the index-entry form of a package is open) ———

const PackageDefinition = z.looseObject({ name: z.string(), version: z.string() });

export const SearchResponse = z.object({
  packages: z.array(
    z.looseObject({
      name: z.string(),
      currentVersion: z.string(),
      versions: z.record(z.string(), z.string()),
      description: z.string(),
      tags: z.array(z.string()),
      selected: z.boolean(),
      framework: z.boolean(),
    }),
  ),
});
export const DescribeResponse = z.object({ package: PackageDefinition });
export const ListVersionsResponse = z.object({ results: z.record(z.string(), z.string()) });
export const RenderResponse = z.object({ marathonJson: z.record(z.string(), z.unknown()) });
export const InstallResponse = z.object({
  packageName: z.string(),
  packageVersion: z.string(),
  appId: z.string(),
  postInstallNotes: z.string().optional(),
  cli: z.unknown().optional(),
});
export const UninstallResponse = z.object({
  results: z.array(
    z.object({
      packageName: z.string(),
      appId: z.string(),
      packageVersion: z.string(),
      postUninstallNotes: z.string().optional(),
    }),
  ),
});
export const ListResponse = z.object({
  packages: z.array(
    z.object({
      appId: z.string(),
      packageInformation: z.object({
        packageDefinition: PackageDefinition,
        resourceDefinition: z.record(z.string(), z.unknown()).optional(),
      }),
    }),
  ),
});
export const RepositoriesResponse = z.object({
  repositories: z.array(z.object({ name: z.string(), uri: z.string() })),
});
export const ServiceDescribeResponse = z.object({
  package: PackageDefinition,
  upgradesTo: z.array(z.string()),
  downgradesTo: z.array(z.string()),
  resolvedOptions: z.record(z.string(), z.unknown()),
  userProvidedOptions: z.record(z.string(), z.unknown()),
});
export const ServiceUpdateResponse = z.object({
  package: PackageDefinition,
  resolvedOptions: z.record(z.string(), z.unknown()),
  marathonDeploymentId: z.string(),
});
export const CapabilitiesResponse = z.object({ capabilities: z.array(z.object({ name: z.string() })) });

/** `{type, message, data?}`: `type` is the Cosmos error name clients know (PackageNotFound, …). */
export const CosmosErrorSchema = z.object({
  type: z.string(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

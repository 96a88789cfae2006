/**
 * Cosmos's errors: `{type, message, data}` where `type` is the name old clients and their users
 * know (PackageNotFound, JsonSchemaMismatch, …). The Cosmos services throw CosmosError for what
 * only Cosmos says (AmbiguousAppId, RepositoryNotPresent, …); everything else the gateway throws
 * (ApiError, the universe library's errors) is translated by `toCosmosError` in cosmos-error-map.ts.
 * Cosmos answered mostly 400; 409 for PackageAlreadyInstalled, 401/403 for credentials.
 */

export class CosmosError extends Error {
  override readonly name = "CosmosError";
  constructor(
    readonly type: string,
    message: string,
    readonly status: number = 400,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }

  /** The wire body. */
  toJSON(): { type: string; message: string; data?: Record<string, unknown> } {
    return { type: this.type, message: this.message, ...(this.data !== undefined && { data: this.data }) };
  }
}

export const packageNotFound = (packageName: string) =>
  new CosmosError("PackageNotFound", `Package [${packageName}] not found`, 400, { packageName });

export const versionNotFound = (packageName: string, packageVersion: string, available?: string[]) =>
  new CosmosError(
    "VersionNotFound",
    `Version [${packageVersion}] of package [${packageName}] not found`,
    400,
    {
      packageName,
      packageVersion,
      ...(available && { available }),
    },
  );

export const packageNotInstalled = (packageName: string) =>
  new CosmosError("PackageNotInstalled", `Package [${packageName}] is not installed`, 400, { packageName });

/** An uninstall named an app id that no install of the package has. */
export const nonExistentAppForPackage = (packageName: string, appId: string) =>
  new CosmosError(
    "UninstallNonExistentAppForPackage",
    `Package [${packageName}] with id [${appId}] is not installed`,
    400,
    { packageName, appId },
  );

export const ambiguousAppId = (packageName: string, appIds: string[]) =>
  new CosmosError(
    "AmbiguousAppId",
    `Multiple apps named [${packageName}] are installed: [${appIds.join(", ")}]; name one with appId, or pass all: true`,
    400,
    { packageName, appIds },
  );

/** Cosmos answered 400 here too (its errors are 400 unless they say otherwise). */
export const appNotFound = (appId: string) =>
  new CosmosError("MarathonAppNotFound", `Unable to locate service with marathon appId: '${appId}'`, 400, {
    appId,
  });

export const clusterNotFound = (cluster: string) =>
  new CosmosError(
    "ClusterNotFound",
    `Cluster [${cluster}] not found: a cluster's Cosmos API is at /cosmos/clusters/<cluster name or id>`,
    404,
    { cluster },
  );

/** Cosmos's wording for the name, the URI, or both. */
function nameOrUri(name: string | undefined, uri: string | undefined) {
  const data = { ...(name !== undefined && { name }), ...(uri !== undefined && { uri }) };
  return { data, both: name !== undefined && uri !== undefined };
}

export function repositoryAlreadyPresent(name: string | undefined, uri: string | undefined): CosmosError {
  const { data, both } = nameOrUri(name, uri);
  const message = both
    ? `Repository name [${name}] and URI [${uri}] are both already present in the list`
    : name !== undefined
      ? `Repository name [${name}] is already present in the list`
      : `Repository URI [${uri}] is already present in the list`;
  return new CosmosError("RepositoryAlreadyPresent", message, 400, data);
}

export function repositoryNotPresent(name: string | undefined, uri: string | undefined): CosmosError {
  const { data, both } = nameOrUri(name, uri);
  const message = both
    ? `Neither repository name [${name}] nor URI [${uri}] are present in the list`
    : name !== undefined
      ? `Repository name [${name}] is not present in the list`
      : `Repository URI [${uri}] is not present in the list`;
  return new CosmosError("RepositoryNotPresent", message, 400, data);
}

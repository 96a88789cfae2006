/**
 * Cosmos's install, uninstall and list on one cluster, on top of the installs service: Cosmos
 * picks the version (select.ts) and the installs service does the rest (dependencies, options,
 * plan, desired-state bump, audit). Uninstall keeps Cosmos's rules: the package's installs,
 * narrowed by appId; several without `all: true` is AmbiguousAppId.
 */
import type { z } from "zod";
import type { InstallRequest, ListRequest, UninstallRequest } from "../../contract/cosmos.js";
import type { Ctx } from "../../env.js";
import { canonicalAppId } from "../installs/app-ids.js";
import { installPackage } from "../installs/install.js";
import { listInstalls } from "../installs/read.js";
import { clusterInstalls } from "../installs/rows.js";
import { uninstall } from "../installs/uninstall.js";
import { cosmosCluster } from "./cluster.js";
import { installedDefinition, packageInformation } from "./definition.js";
import { ambiguousAppId, nonExistentAppForPackage, packageNotInstalled } from "./errors.js";
import { cosmosRevision } from "./select.js";

/** `/package/install`: `{packageName, packageVersion, appId, postInstallNotes?, cli?}`. */
export async function cosmosInstall(ctx: Ctx, clusterRef: string, body: z.infer<typeof InstallRequest>) {
  const { cluster } = await cosmosCluster(ctx, clusterRef, "operator");
  const rev = cosmosRevision(await ctx.catalog.get(), body.packageName, body.packageVersion);
  const result = await installPackage(ctx, cluster.id, {
    package: body.packageName,
    // The exact version Cosmos's rule chose: the installs service would otherwise pick by semver.
    version: rev.definition.metadata.version,
    ...(body.options !== undefined && { options: body.options }),
    ...(body.appId !== undefined && { appId: body.appId }),
  });
  const cli = rev.definition.resource?.cli;
  return {
    packageName: result.package,
    packageVersion: result.version,
    appId: result.appId,
    ...(result.postInstallNotes !== null && { postInstallNotes: result.postInstallNotes }),
    ...(cli !== undefined && { cli }),
  };
}

/** `/package/uninstall`: `{results: [{packageName, appId, packageVersion, postUninstallNotes?}]}`. */
export async function cosmosUninstall(ctx: Ctx, clusterRef: string, body: z.infer<typeof UninstallRequest>) {
  const { cluster } = await cosmosCluster(ctx, clusterRef, "operator");
  const { packageName } = body;
  const installed = await listInstalls(ctx, cluster.id);
  let targets = installed.filter((i) => i.package === packageName);
  if (body.appId !== undefined) {
    const appId = canonicalAppId(body.appId);
    const app = installed.find((i) => i.appId === appId);
    if (!app) throw nonExistentAppForPackage(packageName, appId);
    targets = targets.filter((i) => i.appId === appId);
  }
  if (targets.length === 0) throw packageNotInstalled(packageName);
  if (targets.length > 1 && body.all !== true) {
    throw ambiguousAppId(
      packageName,
      targets.map((t) => t.appId),
    );
  }
  // One at a time, as Cosmos did: each uninstall is its own all-or-nothing change.
  const results = [];
  for (const target of targets) {
    const done = await uninstall(ctx, cluster.id, target.appId, false);
    results.push({
      packageName: done.package,
      appId: done.appId,
      packageVersion: done.version,
      ...(done.postUninstallNotes !== null && { postUninstallNotes: done.postUninstallNotes }),
    });
  }
  return { results };
}

// Code-unit order, the same on every runtime (localeCompare is not).
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `/package/list`: the cluster's installs by package name, then app id, as Cosmos sorted them. */
export async function cosmosList(ctx: Ctx, clusterRef: string, body: z.infer<typeof ListRequest>) {
  const { cluster } = await cosmosCluster(ctx, clusterRef, "viewer");
  const appId = body.appId === undefined ? undefined : canonicalAppId(body.appId);
  const [all, snapshot] = await Promise.all([clusterInstalls(ctx.deps.db, cluster.id), ctx.catalog.get()]);
  const packages = all
    .filter(
      ({ install }) =>
        (body.packageName === undefined || install.packageName === body.packageName) &&
        (appId === undefined || install.appId === appId),
    )
    .sort(
      (a, b) => cmp(a.install.packageName, b.install.packageName) || cmp(a.install.appId, b.install.appId),
    )
    .map((current) => ({
      appId: current.install.appId,
      packageInformation: packageInformation(installedDefinition(snapshot, current)),
    }));
  return { packages };
}

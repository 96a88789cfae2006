/**
 * Cosmos's service describe and service update (`<base>/cosmos/service/…`). Describe keeps
 * the user's options and the resolved ones apart, as Cosmos did; update goes through the
 * installs service, which — unlike Cosmos open source — also changes versions, within what the
 * packages' upgradesFrom / downgradesTo allow, and keeps every revision for rollback.
 */
import type { z } from "zod";
import { compareVersions, downgradesTo, upgradesTo } from "../../../universe/versions/index.js";
import type { ServiceDescribeRequest, ServiceUpdateRequest } from "../../contract/cosmos.js";
import type { Ctx } from "../../env.js";
import { ApiError } from "../../errors.js";
import { changeSide } from "../catalog/catalog-select.js";
import type { ClusterRow } from "../clusters/find.js";
import { type CurrentInstall, findInstall } from "../installs/rows.js";
import { updateInstall } from "../installs/update.js";
import { cosmosCluster } from "./cluster.js";
import { changeSideOf, installedDefinition } from "./definition.js";
import { appNotFound } from "./errors.js";
import { cosmosRevision } from "./select.js";

/** The install at `appId`, or Cosmos's MarathonAppNotFound. */
async function installAt(ctx: Ctx, cluster: ClusterRow, appId: string): Promise<CurrentInstall> {
  try {
    return await findInstall(ctx.deps.db, cluster, appId);
  } catch (e) {
    if (e instanceof ApiError && e.code === "NOT_FOUND") throw appNotFound(appId);
    throw e;
  }
}

const versionsOf = (list: readonly { version: string }[]) => list.map((s) => s.version).sort(compareVersions);

/** `/cosmos/service/describe`: the package, where it may move, and its two option documents. */
export async function cosmosServiceDescribe(
  ctx: Ctx,
  clusterRef: string,
  body: z.infer<typeof ServiceDescribeRequest>,
) {
  const { cluster } = await cosmosCluster(ctx, clusterRef, "viewer");
  const current = await installAt(ctx, cluster, body.appId);
  const snapshot = await ctx.catalog.get();
  const entry = installedDefinition(snapshot, current);
  const others = (snapshot.byName.get(current.install.packageName) ?? []).map(changeSide);
  const side = changeSideOf(entry);
  return {
    package: entry,
    upgradesTo: versionsOf(upgradesTo(side, others)),
    downgradesTo: versionsOf(downgradesTo(side, others)),
    resolvedOptions: current.revision.resolvedOptions,
    userProvidedOptions: current.revision.userOptions,
  };
}

/**
 * `/cosmos/service/update`: new options (merged over the previous user options unless
 * `replace`) and/or another exact version. `marathonDeploymentId` names the cluster's
 * desired-state revision that carries the change, which agents converge to.
 */
export async function cosmosServiceUpdate(
  ctx: Ctx,
  clusterRef: string,
  body: z.infer<typeof ServiceUpdateRequest>,
) {
  const { cluster } = await cosmosCluster(ctx, clusterRef, "operator");
  const current = await installAt(ctx, cluster, body.appId);
  if (body.packageVersion !== undefined) {
    // Cosmos versions are exact strings; refuse a range before the installs service reads it as one.
    cosmosRevision(await ctx.catalog.get(), current.install.packageName, body.packageVersion);
  }
  const change = await updateInstall(ctx, cluster.id, current.install.appId, {
    ...(body.packageVersion !== undefined && { version: body.packageVersion }),
    ...(body.options !== undefined && { options: body.options }),
    replace: body.replace,
  });
  const updated = await installAt(ctx, cluster, change.appId);
  return {
    package: installedDefinition(await ctx.catalog.get(), updated),
    resolvedOptions: change.options.resolved,
    marathonDeploymentId: `${cluster.name}/desired-revision/${change.desiredRevision}`,
  };
}

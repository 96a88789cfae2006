/**
 * Cosmos's read-only package endpoints over the catalog: search (Cosmos matching and order,
 * universe/search searchCosmos), describe, list-versions and render. Versions are chosen by
 * Cosmos's rule (select.ts); rendering is the catalog's own render with that exact version.
 */
import type { z } from "zod";
import { toIndexEntry } from "../../../universe/import/index-entry.js";
import { searchCosmos } from "../../../universe/search/index.js";
import type {
  DescribeRequest,
  ListVersionsRequest,
  RenderRequest,
  SearchRequest,
} from "../../contract/cosmos.js";
import type { Ctx } from "../../env.js";
import { renderPackage } from "../catalog/render.js";
import { cosmosCluster } from "./cluster.js";
import { describeV2 } from "./definition.js";
import { CosmosError, packageNotFound } from "./errors.js";
import { cosmosRevision } from "./select.js";

/** `/package/search`: every package whose name, description or a tag matches the query. */
export async function cosmosSearch(ctx: Ctx, cluster: string, body: z.infer<typeof SearchRequest>) {
  await cosmosCluster(ctx, cluster, "viewer");
  const snapshot = await ctx.catalog.get();
  return { packages: searchCosmos(snapshot.search, body.query) };
}

/** `/package/describe`: v3 wraps the index entry in `{package}`, v2 gives it flat. */
export async function cosmosDescribe(
  ctx: Ctx,
  cluster: string,
  body: z.infer<typeof DescribeRequest>,
  version: string,
) {
  await cosmosCluster(ctx, cluster, "viewer");
  const rev = cosmosRevision(await ctx.catalog.get(), body.packageName, body.packageVersion);
  const entry = toIndexEntry(rev.definition);
  return version === "v2" ? describeV2(entry) : { package: entry };
}

/** `/package/list-versions`: `{results: {"<version>": "<releaseVersion>"}}`. */
export async function cosmosListVersions(
  ctx: Ctx,
  cluster: string,
  body: z.infer<typeof ListVersionsRequest>,
) {
  await cosmosCluster(ctx, cluster, "viewer");
  const indexed = (await ctx.catalog.get()).search.byName.get(body.packageName);
  if (!indexed) throw packageNotFound(body.packageName);
  return { results: { ...indexed.summary.versions } };
}

/**
 * `/package/render`: the one Marathon app the package renders to, labels included. A Cosmos
 * client expects exactly one app, so a package that renders none (jobs or a CLI only) or
 * several (a Flotilla group) is refused with a message pointing at Flotilla's own render.
 */
export async function cosmosRender(ctx: Ctx, cluster: string, body: z.infer<typeof RenderRequest>) {
  await cosmosCluster(ctx, cluster, "viewer");
  const rev = cosmosRevision(await ctx.catalog.get(), body.packageName, body.packageVersion);
  const { name, version } = rev.definition.metadata;
  const rendered = await renderPackage(ctx, name, {
    version,
    options: body.options,
    appId: body.appId,
  });
  const apps = (rendered.plan as { apps: Record<string, unknown>[] }).apps;
  const [only] = apps;
  if (only && apps.length === 1) return { marathonJson: only };
  const fullPlan = `POST /v1/packages/${name}/render with {"version": "${version}"} gives the whole install plan`;
  if (apps.length === 0) {
    throw new CosmosError(
      "ServiceMarathonTemplateNotFound",
      `Package: [${name}] version: [${version}] does not have a Marathon template defined and can not be rendered; ${fullPlan}`,
      400,
      { packageName: name, packageVersion: version },
    );
  }
  throw new CosmosError(
    "MultipleMarathonApps",
    `Package: [${name}] version: [${version}] renders ${apps.length} apps (${apps.map((a) => a.id).join(", ")}), which one Marathon app cannot hold; ${fullPlan}`,
    400,
    { packageName: name, packageVersion: version, appIds: apps.map((a) => a.id) },
  );
}

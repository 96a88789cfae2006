/** The package routes: search, versions, describe, render, publish, and bundle download. */
import type { GatewayApp } from "../../env.js";
import { registerDescribePackage } from "./describe.js";
import { registerDownloadBundle } from "./download.js";
import { registerPublishPackage } from "./publish.js";
import { registerRenderPackage } from "./render.js";
import { registerSearchPackages } from "./search.js";
import { registerListVersions } from "./versions.js";

export function registerPackageRoutes(app: GatewayApp): void {
  registerSearchPackages(app);
  registerPublishPackage(app);
  registerListVersions(app);
  registerDescribePackage(app);
  registerRenderPackage(app);
  registerDownloadBundle(app);
}

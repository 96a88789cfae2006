import type { GatewayApp } from "../../env.js";
import { registerCreateCluster } from "./create.js";
import { registerGetCluster } from "./get.js";
import { registerListClusters } from "./list.js";

export function registerClusterRoutes(app: GatewayApp): void {
  registerCreateCluster(app);
  registerListClusters(app);
  registerGetCluster(app);
}

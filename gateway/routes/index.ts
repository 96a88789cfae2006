/** Every route of the gateway, registered in one place. */
import type { GatewayApp } from "../env.js";
import { registerClusterRoutes } from "./clusters/index.js";
import { registerDocs } from "./system/docs.js";
import { registerHealth } from "./system/health.js";

export function registerRoutes(app: GatewayApp): void {
  registerHealth(app);
  registerClusterRoutes(app);
  registerDocs(app);
}

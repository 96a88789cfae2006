/** Every route of the gateway, registered in one place. */
import type { GatewayApp } from "../env.js";
import { registerAgentApiRoutes } from "./agent/index.js";
import { registerAgentRoutes } from "./agents/index.js";
import { registerClusterRoutes } from "./clusters/index.js";
import { registerCosmosRoutes } from "./cosmos/index.js";
import { registerInstallRoutes } from "./installs/index.js";
import { registerJoinTokenRoutes } from "./join-tokens/index.js";
import { registerOperationsRoutes } from "./operations/index.js";
import { registerPackageRoutes } from "./packages/index.js";
import { registerRepositoryRoutes } from "./repositories/index.js";
import { registerSecretRoutes } from "./secrets/index.js";
import { registerDocs } from "./system/docs.js";
import { registerHealth } from "./system/health.js";
import { registerTokenRoutes } from "./tokens/index.js";

export function registerRoutes(app: GatewayApp): void {
  registerHealth(app);
  registerClusterRoutes(app);
  registerJoinTokenRoutes(app);
  registerAgentRoutes(app);
  registerAgentApiRoutes(app);
  registerTokenRoutes(app);
  registerSecretRoutes(app);
  registerInstallRoutes(app);
  registerOperationsRoutes(app);
  registerRepositoryRoutes(app);
  registerPackageRoutes(app);
  registerCosmosRoutes(app);
  registerDocs(app);
}

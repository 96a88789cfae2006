/**
 * Installs, their status views and the audit log: one register call for routes/index.ts.
 * Literal paths (`…/history`, `…/status`) are registered before nothing that could shadow them:
 * every install route has a fixed number of segments.
 */
import type { GatewayApp } from "../../env.js";
import { registerAuditRoutes } from "../audit/index.js";
import { registerStatusRoutes } from "../status/index.js";
import { registerCreateInstall } from "./create.js";
import { registerDeleteInstall } from "./delete.js";
import { registerGetInstall } from "./get.js";
import { registerInstallHistory } from "./history.js";
import { registerListInstalls } from "./list.js";
import { registerRollbackInstall } from "./rollback.js";
import { registerUpdateInstall } from "./update.js";

export function registerInstallRoutes(app: GatewayApp): void {
  registerCreateInstall(app);
  registerListInstalls(app);
  registerGetInstall(app);
  registerUpdateInstall(app);
  registerDeleteInstall(app);
  registerInstallHistory(app);
  registerRollbackInstall(app);
  registerStatusRoutes(app);
  registerAuditRoutes(app);
}

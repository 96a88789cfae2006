/** The cluster secret store's operator routes (`/v1/clusters/{cluster}/secrets`). */
import type { GatewayApp } from "../../env.js";
import { registerDeleteSecret } from "./delete.js";
import { registerListSecrets } from "./list.js";
import { registerPutSecret } from "./put.js";

export function registerSecretRoutes(app: GatewayApp): void {
  registerPutSecret(app);
  registerListSecrets(app);
  registerDeleteSecret(app);
}

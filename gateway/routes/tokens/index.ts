/** API token routes (`/v1/tokens`). */
import type { GatewayApp } from "../../env.js";
import { registerCreateToken } from "./create.js";
import { registerListTokens } from "./list.js";
import { registerRevokeToken } from "./revoke.js";

export function registerTokenRoutes(app: GatewayApp): void {
  registerCreateToken(app);
  registerListTokens(app);
  registerRevokeToken(app);
}

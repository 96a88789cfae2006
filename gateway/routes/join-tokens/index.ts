/** Join-token routes (`/v1/clusters/{cluster}/join-tokens`). */
import type { GatewayApp } from "../../env.js";
import { registerCreateJoinToken } from "./create.js";
import { registerListJoinTokens } from "./list.js";
import { registerRevokeJoinToken } from "./revoke.js";

export function registerJoinTokenRoutes(app: GatewayApp): void {
  registerCreateJoinToken(app);
  registerListJoinTokens(app);
  registerRevokeJoinToken(app);
}

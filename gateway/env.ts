/** The Hono environment of the gateway app, declared once. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Authenticator } from "./auth/authenticate.js";
import type { Principal } from "./auth/principal.js";
import type { Deps } from "./deps.js";
import type { CatalogCache } from "./services/catalog/catalog-cache.js";

/** What a service needs to act: the dependencies, the caller and the request id. */
export interface Ctx {
  deps: Deps;
  principal: Principal | undefined;
  requestId: string;
  auth: Authenticator;
  catalog: CatalogCache;
}

export type GatewayEnv = {
  Variables: {
    ctx: Ctx;
    requestId: string;
  };
};

export type GatewayApp = OpenAPIHono<GatewayEnv>;

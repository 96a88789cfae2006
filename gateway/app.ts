/**
 * Builds the gateway: one Hono app from injected dependencies, served by gateway/node.ts on
 * Node and gateway/worker.ts on Workers. Every route is declared with zod schemas (validated
 * at the edge, documented in /openapi.json) and says which role it needs.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createAuthenticator, secretFromHeader } from "./auth/authenticate.js";
import type { Principal } from "./auth/principal.js";
import { newId } from "./auth/secrets.js";
import type { Deps } from "./deps.js";
import type { GatewayApp, GatewayEnv } from "./env.js";
import { ApiError, toApiError } from "./errors.js";
import { TtlCache } from "./lib/ttl-cache.js";
import { problemResponse } from "./problem.js";
import { registerRoutes } from "./routes/index.js";
import { createCatalogCache } from "./services/catalog/catalog-cache.js";

export interface AppOptions {
  /** How long verified principals are cached (0 disables; Workers isolates should not cache). */
  authCacheMs?: number;
}

export function createApp(deps: Deps, options: AppOptions = {}): GatewayApp {
  const auth = createAuthenticator(deps, new TtlCache<Principal>(options.authCacheMs ?? 0));
  const catalog = createCatalogCache(deps);
  const app: GatewayApp = new OpenAPIHono<GatewayEnv>({
    // One hook for every route: a request that fails its schema is a 400 listing each field.
    defaultHook: (result, c) => {
      if (result.success) return;
      const issues = result.error.issues.map(
        (i) => `${i.path.length ? `/${i.path.join("/")}` : "/"}: ${i.message}`,
      );
      const err = new ApiError("VALIDATION", `invalid request: ${issues.join("; ")}`, "REQUEST_INVALID", {
        issues,
      });
      return problemResponse(c, err, c.get("requestId"));
    },
  });

  app.use("*", async (c, next) => {
    const requestId = newId("req_");
    c.set("requestId", requestId);
    const principal = await auth.authenticate(secretFromHeader(c.req.header("authorization")));
    c.set("ctx", { deps, principal, requestId, auth, catalog });
    await next();
    c.header("x-request-id", requestId);
  });

  app.use(
    "*",
    bodyLimit({
      maxSize: deps.config.maxBodyBytes,
      onError: (c) =>
        problemResponse(
          c,
          new ApiError("PAYLOAD_TOO_LARGE", `request body is larger than ${deps.config.maxBodyBytes} bytes`),
          c.get("requestId"),
        ),
    }),
  );

  app.onError((e, c) => {
    const err = toApiError(e);
    const requestId = c.get("requestId") ?? "unknown";
    if (err.code === "INTERNAL") {
      deps.logger.error("request failed", {
        requestId,
        path: c.req.path,
        error: e instanceof Error ? e.stack : String(e),
      });
    }
    return problemResponse(c, err, requestId);
  });

  app.notFound((c) =>
    problemResponse(
      c,
      new ApiError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`),
      c.get("requestId"),
    ),
  );

  registerRoutes(app);
  return app;
}

/**
 * Builds the gateway: one Hono app from injected dependencies, served by gateway/node.ts on
 * Node and gateway/worker.ts on Workers. Every route is declared with zod schemas (validated
 * at the edge, documented in /openapi.json) and says which role it needs.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { createAuthenticator, secretFromHeader } from "./auth/authenticate.js";
import type { Principal } from "./auth/principal.js";
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
  /**
   * The cache of verified principals, when the entry needs to read it too (Node answers the
   * unchanged poll from it before the router); otherwise one is made from `authCacheMs`.
   */
  principals?: TtlCache<Principal>;
}

export function createApp(deps: Deps, options: AppOptions = {}): GatewayApp {
  const principals = options.principals ?? new TtlCache<Principal>(options.authCacheMs ?? 0);
  const auth = createAuthenticator(deps, principals);
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
    const requestId = `req_${crypto.randomUUID()}`;
    c.set("requestId", requestId);
    // Set before the handler runs: Hono folds prepared headers into the response it builds,
    // whereas a header set afterwards makes it copy the finished response.
    c.header("x-request-id", requestId);
    const principal = await auth.authenticate(secretFromHeader(c.req.header("authorization")));
    c.set("ctx", { deps, principal, requestId, auth, catalog });
    await next();
  });

  const limitBody = bodyLimit({
    maxSize: deps.config.maxBodyBytes,
    onError: (c) =>
      problemResponse(
        c,
        new ApiError("PAYLOAD_TOO_LARGE", `request body is larger than ${deps.config.maxBodyBytes} bytes`),
        c.get("requestId"),
      ),
  });
  // Only requests that may carry a body: bodyLimit reads `c.req.raw.body`, which on
  // @hono/node-server turns its light request object into a full Request — a cost the
  // agents' polls (GET) should not pay.
  app.use("*", (c, next) =>
    c.req.method === "GET" || c.req.method === "HEAD" ? next() : limitBody(c, next),
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

/**
 * Entry of the gateway on Cloudflare Workers. The database is the D1 binding `DB`
 * (wrangler.toml), or a remote libSQL database when LIBSQL_URL (and LIBSQL_AUTH_TOKEN) are set.
 * Workers cannot hold a poll open across isolates, so desired-state polls are answered at once
 * (no notifier), and verified credentials are not cached (another isolate may revoke them).
 * The secret store's key is the Worker secret FLOTILLA_SECRETS_KEY; there is no file to keep
 * a generated one in, so without it the secret routes answer 503 and everything else works.
 */
import type { D1Database } from "@cloudflare/workers-types";
import { createClient } from "@libsql/client/web";
import { drizzle as drizzleD1 } from "drizzle-orm/d1";
import { drizzle as drizzleLibsql } from "drizzle-orm/libsql/web";
import { createApp } from "./app.js";
import { ConfigError, parseGatewayConfig } from "./config.js";
import * as schema from "./db/schema.js";
import { type Db, jsonLogger, systemClock } from "./deps.js";
import type { GatewayApp } from "./env.js";
import { createSecretBox } from "./lib/secret-box.js";

export interface WorkerEnv {
  DB?: D1Database;
  LIBSQL_URL?: string;
  LIBSQL_AUTH_TOKEN?: string;
  [key: string]: unknown;
}

let cached: { env: WorkerEnv; app: GatewayApp } | undefined;

function strings(env: WorkerEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
}

function database(env: WorkerEnv): Db {
  if (env.LIBSQL_URL) {
    const client = createClient({
      url: env.LIBSQL_URL,
      ...(env.LIBSQL_AUTH_TOKEN ? { authToken: env.LIBSQL_AUTH_TOKEN } : {}),
    });
    return drizzleLibsql(client, { schema }) as unknown as Db;
  }
  if (!env.DB)
    throw new ConfigError("no database: bind a D1 database as DB in wrangler.toml, or set LIBSQL_URL");
  return drizzleD1(env.DB as never, { schema }) as unknown as Db;
}

/** Builds (once per isolate and environment) the app for this Worker's bindings. */
export function appFor(env: WorkerEnv): GatewayApp {
  if (cached?.env === env) return cached.app;
  const config = parseGatewayConfig(strings(env));
  const app = createApp({
    db: database(env),
    clock: systemClock,
    logger: jsonLogger((line) => console.log(line), { component: "gateway" }),
    config,
    // Without FLOTILLA_SECRETS_KEY (`wrangler secret put FLOTILLA_SECRETS_KEY`) the secret routes answer 503.
    ...(config.secretsKey && { secrets: createSecretBox(config.secretsKey) }),
  });
  cached = { env, app };
  return app;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: unknown): Response | Promise<Response> {
    try {
      return appFor(env).fetch(request, env, ctx as never);
    } catch (e) {
      const message = e instanceof ConfigError ? e.message : "gateway failed to start; see the Worker's logs";
      if (!(e instanceof ConfigError)) console.error(e);
      return new Response(JSON.stringify({ title: "INTERNAL", status: 500, detail: message }), {
        status: 500,
        headers: { "content-type": "application/problem+json" },
      });
    }
  },
};

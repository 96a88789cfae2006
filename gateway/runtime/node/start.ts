/**
 * Starts the gateway on Node: opens the database, builds the app with Node's dependencies
 * (in-process revision notifier for long-polls, principal cache), and serves it with
 * @hono/node-server on 127.0.0.1 unless told otherwise, the unchanged poll answered in front
 * of the app (poll-shortcut.ts). Used by gateway/node.ts, `npm start`
 * and the integration tests, so all three run the same code.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { createApp } from "../../app.js";
import type { Principal } from "../../auth/principal.js";
import type { GatewayConfig } from "../../config.js";
import { type Deps, type Logger, systemClock } from "../../deps.js";
import type { GatewayApp } from "../../env.js";
import { createRevisionNotifier } from "../../lib/revision-notifier.js";
import { TtlCache } from "../../lib/ttl-cache.js";
import { ensureBootstrapAdmin } from "./bootstrap-admin.js";
import { openDatabase } from "./database.js";
import { withPollShortcut } from "./poll-shortcut.js";

/** Verified credentials are remembered this long, so that polls cost no hashing or reads. */
const PRINCIPAL_CACHE_MS = 60_000;

export interface NodeGatewayOptions {
  config: GatewayConfig;
  logger: Logger;
  /** libSQL URL: `file:./data/flotilla.db` (default) or a remote `libsql://…` with a token. */
  databaseUrl: string;
  databaseAuthToken?: string;
  host: string;
  /** 0 picks a free port. */
  port: number;
}

export interface NodeGateway {
  url: string;
  app: GatewayApp;
  deps: Deps;
  /** Set on the first start when no admin token was configured; print it once. */
  generatedAdminToken?: string;
  close(): Promise<void>;
}

export async function startNodeGateway(options: NodeGatewayOptions): Promise<NodeGateway> {
  const database = await openDatabase(options.databaseUrl, options.databaseAuthToken);
  const deps: Deps = {
    db: database.db,
    clock: systemClock,
    logger: options.logger,
    config: options.config,
    notifier: createRevisionNotifier(),
  };
  const generatedAdminToken = options.config.adminToken
    ? undefined
    : await ensureBootstrapAdmin(database.db, deps.clock.now());
  const principals = new TtlCache<Principal>(PRINCIPAL_CACHE_MS);
  const app = createApp(deps, { principals });
  const listener = getRequestListener(app.fetch, { hostname: options.host });
  const server = createServer(withPollShortcut(deps, principals, listener));
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
    server.listen(options.port, options.host);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const gateway: NodeGateway = {
    url: `http://${host}:${address.port}`,
    app,
    deps,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Long-polls hold connections open; do not wait for them to time out.
        server.closeAllConnections();
      });
      database.close();
    },
  };
  if (generatedAdminToken) gateway.generatedAdminToken = generatedAdminToken;
  return gateway;
}

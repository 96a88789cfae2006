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
import { createSecretBox, type SecretBox } from "../../lib/secret-box.js";
import { TtlCache } from "../../lib/ttl-cache.js";
import { ensureBootstrapAdmin } from "./bootstrap-admin.js";
import { openDatabase } from "./database.js";
import { withPollShortcut } from "./poll-shortcut.js";
import { loadOrCreateSecretsKey } from "./secrets-key.js";

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
  /**
   * Where the secret store's key is kept when config.secretsKey is not set (generated on the
   * first start, mode 0600). Without either, the secret routes answer 503.
   */
  secretsKeyFile?: string;
}

export interface NodeGateway {
  url: string;
  app: GatewayApp;
  deps: Deps;
  /** Set on the first start when no admin token was configured; print it once. */
  generatedAdminToken?: string;
  close(): Promise<void>;
}

/** The secret store's box: from the configured key, else from the key file (made on first start). */
async function secretBox(options: NodeGatewayOptions): Promise<SecretBox | undefined> {
  if (options.config.secretsKey) return createSecretBox(options.config.secretsKey);
  if (!options.secretsKeyFile) {
    options.logger.warn("secret store disabled: no FLOTILLA_SECRETS_KEY and no key file");
    return undefined;
  }
  const loaded = await loadOrCreateSecretsKey(options.secretsKeyFile);
  if (loaded.created)
    options.logger.info("generated the secret store's key; back it up with the database", {
      file: options.secretsKeyFile,
    });
  if (loaded.exposed)
    options.logger.warn("the secret store's key file is readable by others: chmod 600 it", {
      file: options.secretsKeyFile,
    });
  return createSecretBox(loaded.key);
}

export async function startNodeGateway(options: NodeGatewayOptions): Promise<NodeGateway> {
  const secrets = await secretBox(options);
  const database = await openDatabase(options.databaseUrl, options.databaseAuthToken);
  const deps: Deps = {
    db: database.db,
    clock: systemClock,
    logger: options.logger,
    config: options.config,
    notifier: createRevisionNotifier(),
    ...(secrets && { secrets }),
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

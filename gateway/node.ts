#!/usr/bin/env node
/**
 * Entry of the gateway on Node. Configuration comes from the environment:
 * FLOTILLA_DATABASE_URL (default file:./data/flotilla.db), FLOTILLA_DATABASE_AUTH_TOKEN,
 * FLOTILLA_HOST (default 127.0.0.1), FLOTILLA_PORT (default 8080), FLOTILLA_SECRETS_KEY_FILE
 * (where the generated key of the secret store is kept when FLOTILLA_SECRETS_KEY is unset;
 * default `secrets.key` beside a file database, else ./data/secrets.key), and the variables
 * of config.ts. Stops cleanly on SIGINT/SIGTERM.
 */
import { dirname, join } from "node:path";
import { z } from "zod";
import { ConfigError, parseGatewayConfig } from "./config.js";
import { jsonLogger } from "./deps.js";
import { startNodeGateway } from "./runtime/node/start.js";

const NodeEnv = z.object({
  FLOTILLA_DATABASE_URL: z.string().min(1).default("file:./data/flotilla.db"),
  FLOTILLA_DATABASE_AUTH_TOKEN: z.string().optional(),
  FLOTILLA_HOST: z.string().min(1).default("127.0.0.1"),
  FLOTILLA_PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  FLOTILLA_SECRETS_KEY_FILE: z.string().min(1).optional(),
});

/** The key file's default: beside a file database (its data directory), else ./data. */
const defaultKeyFile = (databaseUrl: string) =>
  join(databaseUrl.startsWith("file:") ? dirname(databaseUrl.slice("file:".length)) : "data", "secrets.key");

async function main(): Promise<void> {
  const logger = jsonLogger((line) => process.stdout.write(`${line}\n`), { component: "gateway" });
  let config: ReturnType<typeof parseGatewayConfig>;
  let env: z.infer<typeof NodeEnv>;
  try {
    config = parseGatewayConfig(process.env);
    const parsed = NodeEnv.safeParse(process.env);
    if (!parsed.success) {
      throw new ConfigError(
        `invalid gateway configuration:\n${parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`).join("\n")}`,
      );
    }
    env = parsed.data;
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
  const gateway = await startNodeGateway({
    config,
    logger,
    databaseUrl: env.FLOTILLA_DATABASE_URL,
    ...(env.FLOTILLA_DATABASE_AUTH_TOKEN !== undefined && {
      databaseAuthToken: env.FLOTILLA_DATABASE_AUTH_TOKEN,
    }),
    host: env.FLOTILLA_HOST,
    port: env.FLOTILLA_PORT,
    secretsKeyFile: env.FLOTILLA_SECRETS_KEY_FILE ?? defaultKeyFile(env.FLOTILLA_DATABASE_URL),
  }).catch((e: unknown) => {
    // e.g. a damaged secrets key file: say what to do, without a stack trace.
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(2);
  });
  logger.info("gateway listening", { url: gateway.url, docs: `${gateway.url}/docs` });
  if (gateway.generatedAdminToken) {
    // Printed once, on the first start only; only its hash is stored.
    process.stdout.write(`\nAdmin token (shown once, keep it safe): ${gateway.generatedAdminToken}\n\n`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    logger.info("gateway stopping");
    await gateway.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();

#!/usr/bin/env node
/**
 * `npm start`: the whole system on this machine. Starts the gateway on Node with its embedded
 * libSQL file database (./data unless FLOTILLA_DATA_DIR says otherwise), seeds the sample
 * catalog and a cluster named `local`, starts one agent joined to it (Docker runtime when a
 * daemon answers, plain processes otherwise), and prints where everything is. A second start
 * reuses the data. Ctrl-C stops the agent and the gateway; workloads keep running, as the
 * agent's rules say, and the next start adopts them.
 *
 * Settings (environment): FLOTILLA_DATA_DIR (./data), FLOTILLA_PORT (8080), FLOTILLA_ADMIN_TOKEN
 * (else one is generated on the first start and kept in <data>/admin-token, mode 0600),
 * FLOTILLA_SECRETS_KEY (else the secret store's key is generated into <data>/secrets.key, mode 0600),
 * FLOTILLA_AGENT_RUNTIME (auto), DOCKER_HOST, FLOTILLA_CONFIG (where `flotilla` keeps its login).
 */
import { createWriteStream, existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAgentConfig } from "../../agent/config.js";
import { createDaemon } from "../../agent/daemon/daemon.js";
import { jsonLogger as agentLogger } from "../../agent/daemon/logger.js";
import { ConfigError, parseGatewayConfig } from "../../gateway/config.js";
import { jsonLogger } from "../../gateway/deps.js";
import { startNodeGateway } from "../../gateway/runtime/node/start.js";
import { configPath, readConfig, writeConfig } from "../config/file.js";
import { defaultHost } from "../host.js";
import { localApi } from "./api.js";
import { seed } from "./seed.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const say = (line = "") => process.stdout.write(`${line}\n`);

async function adminToken(dataDir: string, generated: string | undefined): Promise<string | undefined> {
  const file = join(dataDir, "admin-token");
  if (process.env.FLOTILLA_ADMIN_TOKEN) return process.env.FLOTILLA_ADMIN_TOKEN;
  if (generated) {
    await writeFile(file, `${generated}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return generated;
  }
  return existsSync(file) ? (await readFile(file, "utf8")).trim() : undefined;
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.FLOTILLA_DATA_DIR ?? "data");
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const port = Number(process.env.FLOTILLA_PORT ?? 8080);
  const gatewayLog = createWriteStream(join(dataDir, "gateway.log"), { flags: "a" });
  const agentLog = createWriteStream(join(dataDir, "agent.log"), { flags: "a" });

  let config: ReturnType<typeof parseGatewayConfig>;
  try {
    config = parseGatewayConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const gateway = await startNodeGateway({
    config,
    logger: jsonLogger((line) => gatewayLog.write(`${line}\n`), { component: "gateway" }),
    databaseUrl: `file:${join(dataDir, "gateway.db")}`,
    host: "127.0.0.1",
    port,
    secretsKeyFile: join(dataDir, "secrets.key"),
  }).catch((e: NodeJS.ErrnoException) => {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(2);
    }
    if (e.code === "EADDRINUSE") {
      process.stderr.write(
        `port ${port} is in use: stop what uses it, or start with FLOTILLA_PORT=<another port>\n`,
      );
      process.exit(1);
    }
    throw e;
  });

  const token = await adminToken(dataDir, gateway.generatedAdminToken);
  if (!token) {
    process.stderr.write(
      `no admin token: ${join(dataDir, "admin-token")} is gone. Start with FLOTILLA_ADMIN_TOKEN=flt_… set to a token of this gateway, or delete ${dataDir} to start afresh.\n`,
    );
    await gateway.close();
    process.exit(1);
  }
  const api = localApi(gateway.url, token);
  const seeded = await seed(api, join(root, "samples/packages"), join(root, "test/fixtures/universe-sample"));

  const agentDir = join(dataDir, "agent");
  let joinToken: string | undefined;
  if (!existsSync(join(agentDir, "credential.json"))) {
    const created = await api.post<{ token: string }>("/v1/clusters/local/join-tokens", {
      ttlSeconds: 600,
      maxUses: 1,
    });
    joinToken = created.token;
  }
  const agentEnv: Record<string, string | undefined> = {
    FLOTILLA_GATEWAY: gateway.url,
    FLOTILLA_AGENT_DATA_DIR: agentDir,
    FLOTILLA_AGENT_RUNTIME: process.env.FLOTILLA_AGENT_RUNTIME ?? "auto",
    FLOTILLA_AGENT_HOSTNAME: "local-1",
    DOCKER_HOST: process.env.DOCKER_HOST,
    FLOTILLA_JOIN_TOKEN: joinToken,
  };
  const daemon = createDaemon(parseAgentConfig([], agentEnv), {
    logger: agentLogger((line) => agentLog.write(`${line}\n`), { component: "agent" }, "info"),
  });
  try {
    await daemon.start();
  } catch (e) {
    process.stderr.write(`the agent could not start: ${(e as Error).message}\n`);
    await gateway.close();
    process.exit(1);
  }

  // Log the CLI in to this gateway, unless the user already has a login of their own.
  const host = defaultHost({ env: process.env, homedir: homedir() });
  const cliConfig = configPath(host);
  const existing = await readConfig(cliConfig).catch(() => ({}) as Record<string, string>);
  let loggedIn = false;
  // Ours to rewrite: no login yet, a login to this URL, or one made with this gateway's admin
  // token (a previous start on another port).
  if (!existing.gateway || existing.gateway === gateway.url || existing.token === token) {
    await writeConfig(cliConfig, { gateway: gateway.url, token, cluster: "local" });
    loggedIn = true;
  }

  say();
  say(`Flotilla is running.`);
  say(`  gateway    ${gateway.url}`);
  say(`  API docs   ${gateway.url}/docs`);
  say(`  data       ${dataDir} (logs: gateway.log, agent.log)`);
  say(`  cluster    local, one agent (${(await daemon.status()).agentId})`);
  if (gateway.generatedAdminToken)
    say(
      `  admin token ${gateway.generatedAdminToken}   (shown once; kept in ${join(dataDir, "admin-token")})`,
    );
  if (seeded.published.length > 0) say(`  published  ${seeded.published.join(", ")}`);
  for (const w of seeded.warnings) say(`  warning    ${w}`);
  say(
    loggedIn
      ? `  the flotilla CLI is logged in to this gateway (${cliConfig})`
      : `  log the CLI in: npx flotilla login ${gateway.url} --token "$(cat ${join(dataDir, "admin-token")})"`,
  );
  say();
  say("Try:");
  say("  npx flotilla package search hello");
  say("  npx flotilla package install hello-http --set service.instances=2 --wait");
  say("  npx flotilla service tasks");
  say();
  say("Ctrl-C stops the gateway and the agent (workloads keep running; the next start adopts them).");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`\n${signal}: stopping the agent and the gateway…`);
    await daemon.stop();
    await gateway.close();
    gatewayLog.end();
    agentLog.end();
    say("stopped.");
    process.exit(0);
  };
  process.once("SIGINT", () => void stop("SIGINT"));
  process.once("SIGTERM", () => void stop("SIGTERM"));
  const exit = await daemon.done;
  if (!stopping && exit.reason !== "stopped") {
    process.stderr.write(`the agent stopped: ${exit.message}\n`);
    await gateway.close();
    process.exit(1);
  }
}

await main();

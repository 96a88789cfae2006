#!/usr/bin/env node
/**
 * `flotilla-agent`: the agent daemon as a process. Configuration from flags and environment
 * (agent/config.ts); logs are JSON lines on stdout. SIGTERM or SIGINT stop it gracefully
 * (polling and launching stop, the outbox is flushed, workloads keep running). Exit codes:
 * 0 stopped, 2 bad configuration, 3 credential refused (the agent was deleted), 1 anything else.
 */
import { ConfigError, parseAgentConfig, USAGE } from "./config.js";
import { createDaemon } from "./daemon/daemon.js";
import { jsonLogger } from "./daemon/logger.js";

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
  let config: ReturnType<typeof parseAgentConfig>;
  try {
    config = parseAgentConfig(argv, process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return 2;
  }
  const logger = jsonLogger(
    (line) => process.stdout.write(`${line}\n`),
    { component: "agent" },
    config.logLevel,
  );
  const daemon = createDaemon(config, { logger });
  const onSignal = (signal: NodeJS.Signals) => {
    logger.info("signal received; stopping", { signal });
    void daemon.stop();
  };
  process.once("SIGTERM", onSignal);
  process.once("SIGINT", onSignal);
  // A failed start ends the daemon too; `done` carries the reason, printed below.
  await daemon.start().catch(() => undefined);
  const exit = await daemon.done;
  if (exit.reason === "stopped") return 0;
  process.stderr.write(`${exit.message}\n`);
  return exit.reason === "unauthorized" ? 3 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`flotilla-agent: ${(err as Error).stack ?? err}\n`);
    process.exit(1);
  },
);

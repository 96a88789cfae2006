/** The package the fault tests install: a small HTTP service that can be slow to start. */

/**
 * A package whose app serves $MESSAGE over HTTP on PORT0, but only `listenDelayMs` after it
 * starts (a slow start that keeps new instances unhealthy a while: a rolling upgrade takes
 * time). Options: instances (default 3), message (default "hello").
 */
export function slowHttpPackage(
  name: string,
  options: {
    listenDelayMs?: number;
    minimumHealthCapacity?: number;
    maximumOverCapacity?: number;
    spread?: boolean;
  } = {},
): Record<string, string> {
  const server = `setTimeout(()=>require('http').createServer((q,s)=>s.end(process.env.MESSAGE)).listen(+process.env.PORT0,'127.0.0.1'),+process.env.LISTEN_DELAY_MS)`;
  const app = {
    id: `/${name}`,
    cmd: `exec node -e "${server}"`,
    instances: "@@INSTANCES@@",
    cpus: 0.1,
    mem: 64,
    env: { MESSAGE: "{{message}}", LISTEN_DELAY_MS: String(options.listenDelayMs ?? 0) },
    portDefinitions: [{ port: 0, protocol: "tcp", name: "http" }],
    healthChecks: [
      {
        protocol: "HTTP",
        path: "/",
        portIndex: 0,
        gracePeriodSeconds: 30,
        intervalSeconds: 1,
        timeoutSeconds: 2,
        maxConsecutiveFailures: 3,
      },
    ],
    upgradeStrategy: {
      minimumHealthCapacity: options.minimumHealthCapacity ?? 1,
      maximumOverCapacity: options.maximumOverCapacity ?? 1,
    },
    taskKillGracePeriodSeconds: 2,
    backoffSeconds: 1,
    labels: options.spread ? { FLOTILLA_PLACEMENT: "spread" } : {},
  };
  const config = {
    type: "object",
    properties: {
      instances: { type: "integer", default: 3, minimum: 0 },
      message: { type: "string", default: "hello" },
    },
    additionalProperties: false,
  };
  return {
    "package.json": JSON.stringify({
      packagingVersion: "flotilla/1",
      name,
      version: "1.0.0",
      maintainer: "tests@flotilla.test",
      description: `${name} for the agent fault tests`,
      tags: ["test"],
    }),
    "config.json": JSON.stringify(config),
    "marathon.json.mustache": JSON.stringify(app, null, 2).replace('"@@INSTANCES@@"', "{{instances}}"),
  };
}

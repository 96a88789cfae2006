/**
 * Packages the integration tests publish: a small HTTP service (node serving $MESSAGE on
 * PORT0, HTTP health checks every second) and a three-step job pipeline.
 */

const metadata = (name: string, version: string) =>
  JSON.stringify({
    packagingVersion: "flotilla/1",
    name,
    version,
    maintainer: "tests@flotilla.test",
    description: `${name} for the agent integration tests`,
    tags: ["test"],
  });

const SERVER = `require('http').createServer((q,s)=>s.end(process.env.MESSAGE)).listen(+process.env.PORT0,'127.0.0.1')`;

/**
 * The HTTP service package: options instances (default 2), message, portName. With `spread`,
 * instances are spread over the nodes (FLOTILLA_PLACEMENT) instead of bin-packed.
 */
export function httpServicePackage(
  name: string,
  options: { version?: string; spread?: boolean } = {},
): Record<string, string> {
  const version = options.version ?? "1.0.0";
  const config = {
    type: "object",
    properties: {
      instances: { type: "integer", default: 2, minimum: 0 },
      message: { type: "string", default: "hello" },
      portName: { type: "string", default: "http" },
    },
    additionalProperties: false,
  };
  const marathon = `{
  "id": "/${name}",
  "cmd": "exec node -e \\"${SERVER}\\"",
  "instances": {{instances}},
  "cpus": 0.1,
  "mem": 64,
  "env": {"MESSAGE": "{{message}}"},
  "portDefinitions": [{"port": 0, "protocol": "tcp", "name": "{{portName}}"}],
  "healthChecks": [{"protocol": "HTTP", "path": "/", "portIndex": 0, "gracePeriodSeconds": 20,
    "intervalSeconds": 1, "timeoutSeconds": 2, "maxConsecutiveFailures": 3}],
  "taskKillGracePeriodSeconds": 2,
  "backoffSeconds": 1${
    options.spread
      ? `,
  "labels": {"FLOTILLA_PLACEMENT": "spread"}`
      : ""
  }
}`;
  return {
    "package.json": metadata(name, version),
    "config.json": JSON.stringify(config),
    "marathon.json.mustache": marathon,
  };
}

/** Three jobs, extract → transform → load; transform exits 1. */
export function pipelinePackage(name: string, prefix: string): Record<string, string> {
  const job = (id: string, cmd: string, deps: string[]) => ({
    id: `${prefix}.${id}`,
    run: { cmd, cpus: 0.1, mem: 32 },
    dependencies: deps.map((d) => `${prefix}.${d}`),
  });
  const jobs = {
    jobs: [
      job("extract", "echo extracted", []),
      job("transform", "echo transforming; exit 1", ["extract"]),
      job("load", "echo loaded", ["transform"]),
    ],
  };
  return {
    "package.json": metadata(name, "1.0.0"),
    "jobs.json.mustache": JSON.stringify(jobs),
  };
}

/** A service without health checks or ports: `instances` (default 2) copies of `sleep`, `mem` MB each. */
export function sleeperPackage(name: string): Record<string, string> {
  const config = {
    type: "object",
    properties: {
      instances: { type: "integer", default: 2, minimum: 0 },
      mem: { type: "integer", default: 32, minimum: 32 },
    },
    additionalProperties: false,
  };
  return {
    "package.json": metadata(name, "1.0.0"),
    "config.json": JSON.stringify(config),
    "marathon.json.mustache": `{"id": "/${name}", "cmd": "sleep 3600", "instances": {{instances}}, "cpus": 0.1, "mem": {{mem}}}`,
  };
}

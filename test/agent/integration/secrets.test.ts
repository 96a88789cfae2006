/**
 * Secrets end to end: a real gateway over HTTP and an agent daemon with the process runtime.
 * A job's env value `{secret: "db"}` reaches the task as the stored value (the task writes it
 * to a file the test reads); a service whose secret is not set yet fails its launches with the
 * reason and is relaunched by the backoff, and runs once the secret exists. The value appears
 * in no status message and nowhere in the agent's files but the task's own 0600 record.
 */
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sandboxDir } from "../../../agent/runtime/process-record.js";
import {
  cleanUpAgents,
  installStatus,
  newTestCluster,
  publishBundle,
  startTestAgent,
  startTestGateway,
  type TestAgent,
  type TestGateway,
  waitFor,
} from "../../helpers/agent.js";

const metadata = (name: string) =>
  JSON.stringify({
    packagingVersion: "flotilla/1",
    name,
    version: "1.0.0",
    maintainer: "tests@flotilla.test",
    description: `${name} for the secrets integration test`,
    tags: ["test"],
  });

const outConfig = JSON.stringify({
  type: "object",
  properties: { out: { type: "string" } },
  required: ["out"],
  additionalProperties: false,
});

/** A job that writes $DB_PASSWORD (from the secret at db/password) to the file `out`. */
const jobPackage = (name: string) => ({
  "package.json": metadata(name),
  "config.json": outConfig,
  "jobs.json.mustache": JSON.stringify({
    id: `${name}.write`,
    run: {
      cmd: 'printf %s "$DB_PASSWORD" > "$OUT"',
      cpus: 0.1,
      mem: 32,
      env: { DB_PASSWORD: { secret: "db" }, OUT: "{{out}}" },
      secrets: { db: { source: "/db/password" } },
    },
  }),
});

/** A service that writes $API_KEY (from api/key) to `out`, then sleeps. */
const servicePackage = (name: string) => ({
  "package.json": metadata(name),
  "config.json": outConfig,
  "marathon.json.mustache": JSON.stringify({
    id: `/${name}`,
    cmd: 'printf %s "$API_KEY" > "$OUT" && exec sleep 3600',
    cpus: 0.1,
    mem: 32,
    instances: 1,
    backoffSeconds: 1,
    backoffFactor: 1,
    taskKillGracePeriodSeconds: 1,
    env: { API_KEY: { secret: "key" }, OUT: "{{out}}" },
    secrets: { key: { source: "api/key" } },
  }),
});

let gw: TestGateway;
let cluster: { id: string; name: string; joinToken: string };
let agent: TestAgent;
let outDir: string;

const putSecret = (path: string, value: string) =>
  gw.api(`/v1/clusters/${cluster.id}/secrets/${encodeURIComponent(path)}`, {
    method: "PUT",
    body: { value },
  });
const readText = (file: string) => readFile(file, "utf8").catch(() => undefined);

beforeAll(async () => {
  gw = await startTestGateway();
  cluster = await newTestCluster(gw);
  await publishBundle(gw, jobPackage("secret-job"));
  await publishBundle(gw, servicePackage("secret-svc"));
  agent = await startTestAgent(gw, { joinToken: cluster.joinToken });
  outDir = await mkdtemp(join(tmpdir(), "flotilla-secret-out-"));
});

afterAll(async () => {
  await cleanUpAgents();
  await gw?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

/** Every file under `dir` whose bytes contain `text`. */
async function filesContaining(dir: string, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const f of await readdir(dir, { recursive: true })) {
    const body = await readFile(join(dir, f)).catch(() => undefined);
    if (body?.includes(text)) found.push(f);
  }
  return found;
}

describe("agent daemon with the process runtime: secrets in env", () => {
  it("gives a job's task the secret's value in its env", async () => {
    const value = `db-pw-${Math.random().toString(36).slice(2)}`;
    await putSecret("db/password", value);
    const out = join(outDir, "job.txt");
    await gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "secret-job", options: { out } } },
      201,
    );
    await gw.api(`/v1/clusters/${cluster.id}/jobs/secret-job.write/runs`, { method: "POST" }, 201);
    expect(await waitFor("the job to write the secret", () => readText(out), { timeout: 60_000 })).toBe(
      value,
    );

    const status = await installStatus(gw, cluster.id, "/secret-job");
    expect(JSON.stringify(status)).not.toContain(value);
  }, 90_000);

  it("fails a service's launches while its secret is missing, saying why, and runs it once the secret is set", async () => {
    const out = join(outDir, "svc.txt");
    await gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "secret-svc", options: { out } } },
      201,
    );
    const failed = await waitFor(
      "a failed launch",
      async () => {
        const { tasks } = await installStatus(gw, cluster.id, "/secret-svc").then((s) => s.apps[0]!);
        return tasks.find((t) => t.state === "FAILED");
      },
      { timeout: 60_000 },
    );
    expect(failed.message).toMatch(
      /could not fetch secret api\/key from the gateway: .*404.*not in the cluster's store/,
    );

    const value = `api-key-${Math.random().toString(36).slice(2)}`;
    await putSecret("api/key", value);
    expect(await waitFor("a relaunch to write the secret", () => readText(out), { timeout: 60_000 })).toBe(
      value,
    );
    const running = await waitFor("the service running", async () => {
      const { tasks } = (await installStatus(gw, cluster.id, "/secret-svc")).apps[0]!;
      return tasks.find((t) => t.state === "RUNNING");
    });

    // The value went to the task's env only: its record (mode 0600) holds it, nothing else does.
    const record = join(sandboxDir(agent.dataDir, running.taskId), "task.json");
    expect((await stat(record)).mode & 0o777).toBe(0o600);
    const holders = await filesContaining(agent.dataDir, value);
    expect(holders.map((f) => f.replace(/\\/g, "/"))).toEqual([`tasks/${running.taskId}/task.json`]);
    expect(JSON.stringify(await installStatus(gw, cluster.id, "/secret-svc"))).not.toContain(value);
  }, 120_000);
});

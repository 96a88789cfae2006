/**
 * `service scale|restart` and `job list|show|run|runs` against a real gateway, with the sample
 * packages from samples/packages (hello-http, and etl-pipeline's three-step pipeline) installed
 * on a cluster with no agent: the changes are recorded, nothing runs.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/sample.js";
import {
  ADMIN_TOKEN,
  cliIn,
  fakeAgent,
  jsonOf,
  startTestGateway,
  type TestGateway,
  unique,
  until,
} from "./gateway.js";

let gw: TestGateway;
let run: ReturnType<typeof cliIn>;
beforeAll(async () => {
  gw = await startTestGateway();
  run = cliIn({ FLOTILLA_GATEWAY: gw.url, FLOTILLA_TOKEN: ADMIN_TOKEN });
  for (const name of ["hello-http", "etl-pipeline"]) {
    const published = await run("package", "publish", join(REPO_ROOT, "samples/packages", name));
    if (published.code !== 0) throw new Error(published.stderr);
  }
});
afterAll(async () => {
  await gw?.close();
});

async function clusterWith(pkg: string, ...args: string[]): Promise<string> {
  const cluster = unique("ops");
  await run("cluster", "create", cluster);
  const installed = await run("package", "install", pkg, "--cluster", cluster, ...args);
  if (installed.code !== 0) throw new Error(installed.stderr);
  return cluster;
}

describe("flotilla service scale and restart", () => {
  it("scales a service as a new revision of its install, and restarts it as another", async () => {
    const cluster = await clusterWith("hello-http", "--app-id", "/web", "--set", "service.name=web");
    const c = ["--cluster", cluster];
    const scaled = await run("service", "scale", "/web", "3", ...c);
    expect(scaled.code).toBe(0);
    expect(scaled.stdout).toMatch(/Scaling \/web on .* from 2 to 3 instances: \/web revision 2/);
    expect((await run("service", "list", ...c)).stdout).toMatch(
      /^\/web\s+\/web\s+hello-http 1\.0\.0\s+0\/3\s/m,
    );
    expect((await run("service", "scale", "web", "3", ...c)).stdout).toContain("already runs 3 instances");

    const restarted = jsonOf<{ action: string; install: { revision: number } }>(
      await run("service", "restart", "/web", ...c, "--json"),
    );
    expect(restarted).toMatchObject({ action: "restart", install: { revision: 3 } });
    const history = await run("package", "history", "/web", ...c);
    expect(history.stdout).toMatch(/^\s+2\s+scale\s/m);
    expect(history.stdout).toMatch(/^\*\s+3\s+restart\s/m);

    const missing = await run("service", "scale", "/nope", "1", ...c);
    expect(missing.code).toBe(1);
  });
});

describe("flotilla job", () => {
  it("lists a pipeline's jobs, runs one on request and shows the request pending without an agent", async () => {
    const cluster = await clusterWith("etl-pipeline");
    const c = ["--cluster", cluster];
    const list = await run("job", "list", ...c);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^etl\.extract\s+\/etl-pipeline\s+on demand\s/m);
    expect(list.stdout).toMatch(/^etl\.load\s+\/etl-pipeline\s+on demand\s+-\s+etl\.transform\s/m);

    const show = await run("job", "show", "etl.transform", ...c);
    expect(show.stdout).toMatch(/^Runs after: +etl\.extract$/m);
    expect(show.stdout).toMatch(/^Runs before: +etl\.load$/m);

    const requested = jsonOf<{ runId: string }>(await run("job", "run", "etl.extract", ...c, "--json"));
    expect(requested.runId).toMatch(/^etl\.extract\.req-/);
    const runs = await run("job", "runs", "etl.extract", ...c);
    expect(runs.stdout).toContain(`pending: ${requested.runId}`);

    const waited = await run("job", "run", "etl.extract", ...c, "--wait", "--timeout", "1");
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(
      /timed out after 1s waiting for run etl\.extract\.req-\S+: .*no healthy agent/,
    );

    const unknown = await run("job", "run", "etl.nope", ...c);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not found|no install/i);
  });

  it("follows a requested run with --wait to success (exit 0) or failure (exit 1) as the agent reports it", async () => {
    const cluster = await clusterWith("etl-pipeline");
    const c = ["--cluster", cluster];
    const join = jsonOf<{ token: string }>(await run("cluster", "token", cluster, "--json"));
    const agent = await fakeAgent(gw.url, join.token);

    /** Starts `job run <jobId> --wait`, then reports its run as the agent would. */
    async function runAndReport(jobId: string, ...states: [string, string?][]) {
      const waiting = run("job", "run", jobId, ...c, "--wait", "--timeout", "20");
      let runId = "";
      await until(async () => {
        const runs = jsonOf<{ pendingRequests: { runId: string }[] }>(
          await run("job", "runs", jobId, ...c, "--json"),
        );
        runId = runs.pendingRequests[0]?.runId ?? "";
        return runId !== "";
      });
      for (const [state, message] of states) await agent.jobRun(jobId, runId, state, message);
      return { result: await waiting, runId };
    }

    const ok = await runAndReport("etl.extract", ["ACTIVE"], ["SUCCESS"]);
    expect(ok.result.stderr).toBe("");
    expect(ok.result.code).toBe(0);
    expect(ok.result.stdout).toContain(`${ok.runId} succeeded.`);

    const failed = await runAndReport("etl.transform", ["FAILED", "transform failed on purpose"]);
    expect(failed.result.code).toBe(1);
    expect(failed.result.stderr).toContain(
      `run ${failed.runId} of etl.transform ended FAILED: transform failed on purpose`,
    );
    expect((await run("job", "runs", "etl.transform", ...c)).stdout).toMatch(
      new RegExp(`^${failed.runId.replace(/\./g, "\\.")}\\s+FAILED\\s+request by `, "m"),
    );
  });
});

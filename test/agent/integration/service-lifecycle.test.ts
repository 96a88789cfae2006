/**
 * One agent daemon (in this process, process runtime) against the real gateway on Node over
 * loopback HTTP: a published HTTP service is installed with 2 instances, both turn healthy and
 * answer on their ports; a new message rolls out without the healthy count ever dropping below
 * minHealthy; a rollback restores the old message; scaling to 3 and to 1 follows; uninstalling
 * stops every process.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InstallStatus } from "../../../gateway/contract/installs.js";
import {
  cleanUpAgents,
  httpText,
  installStatus,
  liveTaskPids,
  newTestCluster,
  publishBundle,
  startTestAgent,
  startTestGateway,
  type TestAgent,
  type TestGateway,
  waitFor,
} from "../../helpers/agent.js";
import { httpServicePackage } from "./fixtures.js";

const APP = "/hello";
type AppStatus = InstallStatus["apps"][number];

let gw: TestGateway;
let cluster: { id: string; name: string; joinToken: string };
let agent: TestAgent;

beforeAll(async () => {
  gw = await startTestGateway();
  cluster = await newTestCluster(gw);
  await publishBundle(gw, httpServicePackage("hello-http"));
  agent = await startTestAgent(gw, { joinToken: cluster.joinToken });
});

afterAll(async () => {
  await cleanUpAgents();
  await gw?.close();
});

const appOf = async (): Promise<AppStatus> => (await installStatus(gw, cluster.id, APP)).apps[0]!;

/** The app once `n` instances run healthy, all of one version, each answering `message`. */
async function converged(n: number, message: string, timeout = 60_000): Promise<AppStatus> {
  return waitFor(
    `${n} healthy instances answering "${message}"`,
    async () => {
      const app = await appOf();
      const running = app.tasks.filter((t) => t.state === "RUNNING");
      if (running.length !== n || app.instances.healthy !== n) return false;
      if (new Set(running.map((t) => t.version)).size !== 1) return false;
      const answers = await Promise.all(running.map((t) => httpText(t.ports[0]!)));
      return answers.every((a) => a === message) && app;
    },
    { timeout, interval: 200 },
  );
}

/**
 * Samples the status view until `done` resolves: the lowest healthy count seen, and the most
 * versions seen running at once (2 means old and new instances overlapped: a rolling upgrade).
 */
async function sampleDuring(
  done: Promise<unknown>,
): Promise<{ lowestHealthy: number; versionsAtOnce: number }> {
  let lowestHealthy = Number.POSITIVE_INFINITY;
  let versionsAtOnce = 0;
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    const app = await appOf();
    lowestHealthy = Math.min(lowestHealthy, app.instances.healthy);
    const running = app.tasks.filter((t) => t.state === "RUNNING");
    versionsAtOnce = Math.max(versionsAtOnce, new Set(running.map((t) => t.version)).size);
    await new Promise((r) => setTimeout(r, 50));
  }
  await done;
  return { lowestHealthy, versionsAtOnce };
}

describe("agent daemon with the process runtime: a service's whole life", () => {
  it("installs 2 instances that turn healthy and answer on their assigned ports", async () => {
    await gw.api(`/v1/clusters/${cluster.id}/installs`, { body: { package: "hello-http", appId: APP } }, 201);
    const app = await converged(2, "hello");
    const ports = app.tasks.filter((t) => t.state === "RUNNING").map((t) => t.ports[0]!);
    expect(new Set(ports).size).toBe(2);
    for (const p of ports) expect(p).toBeGreaterThanOrEqual(agent.config.ports[0]![0]);
    expect(app.tasks.every((t) => t.node === agent.config.hostname)).toBe(true);
    expect(liveTaskPids(agent.dataDir)).toHaveLength(2);
  }, 90_000);

  it("rolls a new message out without dropping below minHealthy, then rolls back", async () => {
    const before = await appOf();
    const oldVersion = before.tasks.find((t) => t.state === "RUNNING")!.version;
    await gw.api(`/v1/clusters/${cluster.id}/installs/hello`, {
      method: "PATCH",
      body: { options: { message: "bonjour" } },
    });
    const upgraded = converged(2, "bonjour");
    // minHealthy = ceil(2 × minimumHealthCapacity 1) = 2: both old instances stay until new ones are healthy.
    expect(await sampleDuring(upgraded)).toEqual({ lowestHealthy: 2, versionsAtOnce: 2 });
    const after = await upgraded;
    expect(after.tasks.find((t) => t.state === "RUNNING")!.version).not.toBe(oldVersion);
    // Converged means the new instances are healthy; the old ones may still be reported KILLING.
    await waitFor("the old instances reported KILLED", async () =>
      (await appOf()).tasks.filter((t) => t.version === oldVersion).every((t) => t.state === "KILLED"),
    );

    await gw.api(`/v1/clusters/${cluster.id}/installs/hello/rollback`, { body: { toRevision: 1 } });
    const rolledBack = converged(2, "hello");
    expect(await sampleDuring(rolledBack)).toEqual({ lowestHealthy: 2, versionsAtOnce: 2 });
    expect((await rolledBack).tasks.find((t) => t.state === "RUNNING")!.version).toBe(oldVersion);
    await waitFor("the replaced processes gone", () => liveTaskPids(agent.dataDir).length === 2);
  }, 150_000);

  it("scales to 3 instances and back to 1 without replacing the ones that run", async () => {
    const running = async () =>
      (await appOf()).tasks.filter((t) => t.state === "RUNNING").map((t) => t.taskId);
    const two = await running();
    await gw.api(`/v1/clusters/${cluster.id}/installs/hello`, {
      method: "PATCH",
      body: { options: { instances: 3 } },
    });
    await converged(3, "hello");
    const three = await running();
    expect(three).toEqual(expect.arrayContaining(two)); // a scale keeps what runs
    await gw.api(`/v1/clusters/${cluster.id}/installs/hello`, {
      method: "PATCH",
      body: { options: { instances: 1 } },
    });
    await converged(1, "hello");
    expect(three).toEqual(expect.arrayContaining(await running()));
    await waitFor("2 processes stopped", () => liveTaskPids(agent.dataDir).length === 1);
  }, 120_000);

  it("uninstalls: every task ends and every process is gone", async () => {
    await gw.api(`/v1/clusters/${cluster.id}/installs/hello`, { method: "DELETE" });
    await waitFor("no task process left", () => liveTaskPids(agent.dataDir).length === 0, {
      timeout: 30_000,
    });
    const tasks = await waitFor("every task reported ended", async () => {
      const { tasks } = await gw.api<{ tasks: { state: string }[] }>(
        `/v1/clusters/${cluster.id}/agents/${agent.daemon.identity!.agentId}/tasks`,
      );
      return tasks.every((t) => ["KILLED", "FINISHED", "FAILED"].includes(t.state)) && tasks;
    });
    expect(tasks.length).toBeGreaterThanOrEqual(2);
    await gw.api(`/v1/clusters/${cluster.id}/installs/hello/status`, {}, 404);
  }, 60_000);
});

/**
 * Two agent daemons in one cluster: one holds the scheduling lease and places tasks on both
 * nodes (spread placement); the other runs what is assigned to it. When the holder stops, it
 * gives the lease up and the other agent takes it with a higher epoch. Once the stopped
 * agent's node goes stale, its tasks are reported LOST and replaced on the live node; when
 * that agent comes back, it kills its old processes instead of leaving two copies running.
 * (The gateway here counts an agent stale after 4 s without a heartbeat.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

let gw: TestGateway;
let cluster: { id: string; name: string; joinToken: string };
let a: TestAgent;
let b: TestAgent;

beforeAll(async () => {
  gw = await startTestGateway({
    agentStaleMs: 4_000,
    agentLostMs: 8_000,
    heartbeatWriteMs: 500,
    leaseMs: 6_000,
  });
  cluster = await newTestCluster(gw);
  await publishBundle(gw, httpServicePackage("spread-http", { spread: true }));
  a = await startTestAgent(gw, { joinToken: cluster.joinToken, hostname: "node-a" });
  b = await startTestAgent(gw, { joinToken: cluster.joinToken, hostname: "node-b" });
});

afterAll(async () => {
  await cleanUpAgents();
  await gw?.close();
});

const healthy = async () =>
  (await installStatus(gw, cluster.id, "/spread")).apps[0]!.tasks.filter(
    (t) => t.state === "RUNNING" && t.healthy,
  );

describe("two agents in one cluster", () => {
  it("one schedules for both, each runs its share; when one goes away its work moves, and on its return it leaves no duplicate", async () => {
    await gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "spread-http", appId: "/spread", options: { instances: 4 } } },
      201,
    );
    const tasks = await waitFor(
      "4 healthy instances",
      async () => {
        const r = await healthy();
        return r.length === 4 && r;
      },
      { timeout: 60_000 },
    );
    expect(tasks.filter((t) => t.node === "node-a")).toHaveLength(2);
    expect(tasks.filter((t) => t.node === "node-b")).toHaveLength(2);
    expect(liveTaskPids(a.dataDir)).toHaveLength(2);
    expect(liveTaskPids(b.dataDir)).toHaveLength(2);
    const statuses = [await a.daemon.status(), await b.daemon.status()];
    expect(statuses.filter((s) => s.holder)).toHaveLength(1);

    const [holder, other] = statuses[0]!.holder ? [a, b] : [b, a];
    const epoch = (await holder.daemon.status()).epoch;
    const leftBehind = liveTaskPids(holder.dataDir);
    await holder.stop();
    await waitFor("the other agent took the lease", async () => (await other.daemon.status()).holder, {
      timeout: 30_000,
    });
    expect((await other.daemon.status()).epoch).toBe(epoch + 1);
    expect(liveTaskPids(holder.dataDir)).toEqual(leftBehind); // workloads outlive their agent

    // The stopped node goes stale: its tasks are reported LOST and replaced on the live node.
    const moved = await waitFor(
      "4 healthy instances on the live node",
      async () => {
        const r = await healthy();
        return r.length === 4 && r.every((t) => t.node === other.config.hostname) && r;
      },
      { timeout: 60_000 },
    );
    const app = (await installStatus(gw, cluster.id, "/spread")).apps[0]!;
    expect(app.tasks.filter((t) => t.node === holder.config.hostname).map((t) => t.state)).toEqual([
      "LOST",
      "LOST",
    ]);
    expect(await Promise.all(moved.map((t) => httpText(t.ports[0]!)))).toEqual(Array(4).fill("hello"));

    // The old agent returns: its tasks were replaced, so it stops them rather than keep two copies.
    const back = await startTestAgent(gw, { dataDir: holder.dataDir, hostname: holder.config.hostname });
    await waitFor(
      "the returning agent stopped its old tasks",
      () => liveTaskPids(back.dataDir).length === 0,
      {
        timeout: 30_000,
      },
    );
    expect(await healthy()).toHaveLength(4);
  }, 180_000);
});

/**
 * The daemon as a whole, in-process with the fake runtime, against the real gateway: it stops
 * cleanly (twice is fine) without touching its workloads; restarted while the gateway is
 * down, it keeps running the last desired state it verified and adopts what runs; it reports
 * its node's free resources as its tasks come and go; and it stops by itself, saying why,
 * once its agent is deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeRuntime } from "../../../agent/runtime/fake.js";
import { LABELS } from "../../../agent/runtime/types.js";
import type { InstallStatus } from "../../../gateway/contract/installs.js";
import {
  cleanUpAgents,
  newTestCluster,
  publishBundle,
  startTestAgent,
  startTestGateway,
  type TestGateway,
  waitFor,
} from "../../helpers/agent.js";
import { sleeperPackage } from "../integration/fixtures.js";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
  await publishBundle(gw, sleeperPackage("sleeper"));
});

afterAll(async () => {
  await cleanUpAgents();
  await gw?.close();
});

async function runningIn(runtime: FakeRuntime, n: number) {
  return waitFor(`${n} tasks running`, () => runtime.running().length === n && runtime.running(), {
    timeout: 30_000,
  });
}

describe("the daemon in-process", () => {
  it("stops cleanly, twice if asked, leaving its tasks running", async () => {
    const cluster = await newTestCluster(gw);
    const runtime = new FakeRuntime();
    const agent = await startTestAgent(gw, { joinToken: cluster.joinToken, daemon: { runtime } });
    await gw.api(`/v1/clusters/${cluster.id}/installs`, { body: { package: "sleeper", appId: "/a" } }, 201);
    await runningIn(runtime, 2);
    await waitFor("updates delivered", async () => (await agent.daemon.status()).outboxQueued === 0);
    await Promise.all([agent.stop(), agent.stop()]);
    expect(await agent.daemon.done).toEqual({ reason: "stopped" });
    expect(runtime.killed).toEqual([]);
    expect(runtime.running()).toHaveLength(2);
  }, 60_000);

  it("reports each deployment's step, and why one that cannot be placed waits", async () => {
    const cluster = await newTestCluster(gw);
    const runtime = new FakeRuntime();
    await startTestAgent(gw, { joinToken: cluster.joinToken, daemon: { runtime } });
    await gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "sleeper", appId: "/fits" } },
      201,
    );
    await gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "sleeper", appId: "/huge", options: { mem: 100_000 } } },
      201,
    );
    const deployment = async (appId: string) => {
      const status = await gw.api<InstallStatus>(
        `/v1/clusters/${cluster.id}/installs/${appId.slice(1)}/status`,
      );
      return status.apps[0]!.deployment;
    };
    const steady = await waitFor("/fits steady", async () => {
      const d = await deployment("/fits");
      return d?.step?.startsWith("steady") && d;
    });
    expect(steady).toMatchObject({ waitingReason: null, step: "steady: 2 of 2 healthy" });
    const waiting = await waitFor("/huge explained", async () => (await deployment("/huge"))?.waitingReason);
    expect(waiting).toBe("0 of 1 nodes fit: 1 has < 100000 MB mem free");
    expect(runtime.running()).toHaveLength(2);
  }, 60_000);

  it("reports its node's free resources: the total minus what its running tasks hold", async () => {
    const cluster = await newTestCluster(gw);
    const runtime = new FakeRuntime();
    const agent = await startTestAgent(gw, { joinToken: cluster.joinToken, daemon: { runtime } });
    const free = async () => {
      const { agents } = await gw.api<{ agents: { inventory: { free?: unknown } | null }[] }>(
        `/v1/clusters/${cluster.id}/agents`,
      );
      return agents[0]?.inventory?.free;
    };
    const total = { cpus: 4, mem: 4096, disk: 10_000, gpus: 0, ports: agent.config.ports };
    await waitFor(
      "the idle node reported all free",
      async () => JSON.stringify(await free()) === JSON.stringify(total),
    );
    await gw.api(`/v1/clusters/${cluster.id}/installs`, { body: { package: "sleeper", appId: "/c" } }, 201);
    await runningIn(runtime, 2);
    // Two instances of 0.1 cpus and 32 MB each.
    const busy = { ...total, cpus: 3.8, mem: 4032 };
    await waitFor(
      "the busy node reported less free",
      async () => JSON.stringify(await free()) === JSON.stringify(busy),
    );
    await gw.api(`/v1/clusters/${cluster.id}/installs/c`, { method: "DELETE" });
    await waitFor(
      "everything free again",
      async () => JSON.stringify(await free()) === JSON.stringify(total),
    );
  }, 60_000);

  it("restarted while the gateway is down, keeps running what it last verified and adopts it", async () => {
    const local = await startTestGateway();
    await publishBundle(local, sleeperPackage("sleeper"));
    const cluster = await newTestCluster(local);
    const first = new FakeRuntime();
    const agent = await startTestAgent(local, { joinToken: cluster.joinToken, daemon: { runtime: first } });
    await local.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "sleeper", appId: "/b" } },
      201,
    );
    const ids = await runningIn(first, 2);
    await agent.stop();
    await local.close();

    // The same processes, found by a new runtime after the restart.
    const second = new FakeRuntime();
    for (const taskId of ids)
      second.plant({
        taskId,
        handle: taskId,
        kind: "service",
        appId: "/b",
        state: "running",
        startedAt: Date.now(),
        labels: { [LABELS.taskId]: taskId, [LABELS.agentId]: agent.daemon.identity!.agentId },
      });
    const again = await startTestAgent(local, { dataDir: agent.dataDir, daemon: { runtime: second } });
    await waitFor(
      "the stored state applied (offline start)",
      async () => (await again.daemon.status()).tasks.length === 2,
    );
    const status = await again.daemon.status();
    expect(status.tasks.map((t) => [t.taskId, t.state]).sort()).toEqual(
      ids.sort().map((id) => [id, "RUNNING"]),
    );
    expect(second.launched).toEqual([]);
    expect(second.killed).toEqual([]);
    await again.stop();
  }, 60_000);

  it("stops by itself, saying why, once an operator deletes its agent", async () => {
    const cluster = await newTestCluster(gw);
    const agent = await startTestAgent(gw, {
      joinToken: cluster.joinToken,
      daemon: { runtime: new FakeRuntime() },
    });
    await gw.api(
      `/v1/clusters/${cluster.id}/agents/${agent.daemon.identity!.agentId}`,
      { method: "DELETE" },
      204,
    );
    const exit = await agent.daemon.done;
    expect(exit.reason).toBe("unauthorized");
    expect(exit.reason !== "stopped" && exit.message).toMatch(/probably deleted; remove .*credential\.json/);
  }, 60_000);
});

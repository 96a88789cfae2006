/**
 * A two-agent cluster (the built bin, twice) runs a service spread over both nodes, one
 * instance each. Then one agent vanishes (`kill -9`: no goodbye, no lease release). Once the
 * gateway counts it stale (5 s here), the lease holder reports its task LOST and replaces it on
 * the surviving node. If the vanished agent held the lease, the survivor takes the lease over
 * first (once it expired: 6 s here) with a higher epoch. The vanished node's process keeps
 * running (nobody is left there to stop it); the cluster's view holds no duplicate.
 */
import { describe, expect, it } from "vitest";
import type { InstallStatus } from "../../../gateway/contract/installs.js";
import { httpText, installStatus, newTestCluster, waitFor } from "../../helpers/agent.js";
import { type BinAgent, faultGateway, slowHttpPackage, spawnBinAgent, taskProcesses } from "./support.js";

const STALE_MS = 5_000;

const setup = faultGateway(
  { agentStaleMs: STALE_MS, agentLostMs: 10_000, heartbeatWriteMs: 500, leaseMs: 6_000 },
  slowHttpPackage("spread", { spread: true }),
);

type Task = InstallStatus["apps"][number]["tasks"][number];
interface AgentRow {
  id: string;
  hostname: string;
  state: string;
  leaseHolder: boolean;
}

/** A fresh cluster with two agents and the spread service running one instance on each. */
async function twoNodeCluster(tag: string) {
  const cluster = await newTestCluster(setup.gw);
  const a = await spawnBinAgent(setup.gw, { joinToken: cluster.joinToken, hostname: `${tag}-a` });
  const b = await spawnBinAgent(setup.gw, { joinToken: cluster.joinToken, hostname: `${tag}-b` });
  const agentRows = async () =>
    (await setup.gw.api<{ agents: AgentRow[] }>(`/v1/clusters/${cluster.id}/agents`)).agents;
  await waitFor("both agents registered", async () => (await agentRows()).length === 2);
  await setup.gw.api(
    `/v1/clusters/${cluster.id}/installs`,
    { body: { package: "spread", appId: `/${tag}`, options: { instances: 2 } } },
    201,
  );
  const healthy = async (): Promise<Task[]> =>
    (await installStatus(setup.gw, cluster.id, `/${tag}`)).apps[0]!.tasks.filter(
      (t) => t.state === "RUNNING" && t.healthy === true,
    );
  const placed = await waitFor(
    "one healthy instance on each node",
    async () => {
      const tasks = await healthy();
      return tasks.length === 2 && new Set(tasks.map((t) => t.node)).size === 2 && tasks;
    },
    { timeout: 60_000 },
  );
  const rows = await agentRows();
  const holderName = rows.find((r) => r.leaseHolder)?.hostname;
  expect(holderName).toBeDefined();
  const [holder, other] = holderName === a.hostname ? [a, b] : [b, a];
  return { cluster, holder, other, placed, healthy, agentRows, appId: `/${tag}` };
}

/** Waits for the vanished node's task to be LOST and both instances to run healthy on `survivor`. */
async function movedTo(
  survivor: BinAgent,
  vanished: BinAgent,
  c: Awaited<ReturnType<typeof twoNodeCluster>>,
  killedAt: number,
) {
  const orphan = c.placed.find((t) => t.node === vanished.hostname)!;
  const moved = await waitFor(
    `both instances healthy on ${survivor.hostname}`,
    async () => {
      const tasks = await c.healthy();
      return tasks.length === 2 && tasks.every((t) => t.node === survivor.hostname) && tasks;
    },
    { timeout: 60_000, interval: 200 },
  );
  // Replaced only once the gateway stopped hearing from the vanished agent.
  expect(Date.now() - killedAt).toBeGreaterThan(STALE_MS - 2_500);
  const vanishedRow = (await c.agentRows()).find((r) => r.hostname === vanished.hostname)!;
  expect(["stale", "lost"]).toContain(vanishedRow.state);
  const app = (await installStatus(setup.gw, c.cluster.id, c.appId)).apps[0]!;
  expect(app.tasks.find((t) => t.taskId === orphan.taskId)?.state).toBe("LOST");
  expect(app.tasks.filter((t) => t.state === "RUNNING")).toHaveLength(2);
  expect(await Promise.all(moved.map((t) => httpText(t.ports[0]!)))).toEqual(["hello", "hello"]);
  // The survivor runs exactly the two instances (no task id twice); the vanished node's
  // process is still there, since no agent is left on that node to stop it.
  const onSurvivor = taskProcesses([survivor.dataDir]).map((p) => p.taskId);
  expect(onSurvivor.sort()).toEqual(moved.map((t) => t.taskId).sort());
  expect(taskProcesses([vanished.dataDir]).map((p) => p.taskId)).toEqual([orphan.taskId]);
  return moved;
}

describe("an agent vanishes from a two-agent cluster", () => {
  it("its task is replaced on the other agent once it counts as stale (the non-holder vanished)", async () => {
    const c = await twoNodeCluster("nonholder");
    await c.other.kill9();
    const killedAt = Date.now();
    await movedTo(c.holder, c.other, c, killedAt);
    expect((await c.agentRows()).find((r) => r.leaseHolder)?.hostname).toBe(c.holder.hostname);
  }, 90_000);

  it("the lease moves to the other agent, which replaces the task (the holder vanished)", async () => {
    const c = await twoNodeCluster("holder");
    const epochOf = (line: string) => (JSON.parse(line) as { epoch: number }).epoch;
    const oldEpoch = epochOf(await c.holder.line(/"holding the scheduling lease"/));
    await c.holder.kill9();
    const killedAt = Date.now();
    const took = await c.other.line(/"holding the scheduling lease"/, 30_000);
    expect(epochOf(took)).toBeGreaterThan(oldEpoch);
    await waitFor(
      "the gateway shows the survivor holding the lease",
      async () => (await c.agentRows()).find((r) => r.leaseHolder)?.hostname === c.other.hostname,
    );
    await movedTo(c.other, c.holder, c, killedAt);
  }, 90_000);
});

/**
 * A two-agent cluster (the built bin, twice, each behind its own TCP proxy) runs 4 instances
 * of a service, 2 on each node. The gateway goes away for 30 s: both agents are long past the
 * lost threshold (24 s here) when it comes back on the same database file and port. One agent
 * — the lease holder before the outage — stays cut off: the other reconnects alone, takes the
 * lease and schedules, while the gateway still counts the late agent lost. It must not believe
 * that yet (it has itself just come back): the late agent's tasks are not reported LOST, not
 * killed and not replaced. The late agent returns ~3 s later and the cluster converges with the
 * same 4 task ids and the same processes it had before the outage.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { InstallStatus } from "../../../gateway/contract/installs.js";
import { httpText, installStatus, newTestCluster, waitFor } from "../../helpers/agent.js";
import { type LinkProxy, startLinkProxy } from "./proxy.js";
import {
  agentBooks,
  elapse,
  faultGateway,
  slowHttpPackage,
  spawnBinAgent,
  taskProcesses,
  watchProcesses,
} from "./support.js";

const STALE_MS = 12_000;
const OUTAGE_MS = 30_000;
const HOLD_BACK_MS = 3_000;
const APP = "/late";

const setup = faultGateway(
  { agentStaleMs: STALE_MS, agentLostMs: 24_000, heartbeatWriteMs: 500, leaseMs: 6_000 },
  slowHttpPackage("late", { spread: true }),
);
const proxies: LinkProxy[] = [];
afterAll(() => Promise.all(proxies.map((p) => p.close())));

type Task = InstallStatus["apps"][number]["tasks"][number];
interface AgentRow {
  id: string;
  hostname: string;
  state: string;
  leaseHolder: boolean;
}

const LEASE_TAKEN = /"holding the scheduling lease"/;
/** The holder's log of a cycle that saw a quiet agent: acted on (the bug), or held back (the fix). */
const JUDGED = /"task lost with its agent"|"agents look stale after a break in contact/;

describe("the gateway returns after an outage, and one agent of two is late", () => {
  it("keeps the late agent's tasks (not LOST, not replaced), and the cluster converges as it was", async () => {
    const cluster = await newTestCluster(setup.gw);
    const agents = await Promise.all(
      ["late-a", "late-b"].map(async (hostname) => {
        const proxy = await startLinkProxy(setup.gw.port);
        proxies.push(proxy);
        return {
          proxy,
          bin: await spawnBinAgent({ url: proxy.url }, { joinToken: cluster.joinToken, hostname }),
        };
      }),
    );
    const agentRows = async () =>
      (await setup.gw.api<{ agents: AgentRow[] }>(`/v1/clusters/${cluster.id}/agents`)).agents;
    await waitFor("both agents registered", async () => (await agentRows()).length === 2);
    await setup.gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "late", appId: APP, options: { instances: 4 } } },
      201,
    );
    const appTasks = async (): Promise<Task[]> =>
      (await installStatus(setup.gw, cluster.id, APP)).apps[0]!.tasks;
    const healthy = async () => (await appTasks()).filter((t) => t.state === "RUNNING" && t.healthy === true);
    const before = await waitFor(
      "two healthy instances on each node",
      async () => {
        const tasks = await healthy();
        const nodes = tasks.map((t) => t.node);
        return (
          tasks.length === 4 &&
          agents.every((a) => nodes.filter((n) => n === a.bin.hostname).length === 2) &&
          tasks
        );
      },
      { timeout: 60_000 },
    );
    const holderName = (await agentRows()).find((r) => r.leaseHolder)?.hostname;
    const [late, early] =
      agents[0]!.bin.hostname === holderName ? [agents[0]!, agents[1]!] : [agents[1]!, agents[0]!];
    expect(late.bin.hostname).toBe(holderName);
    const dataDirs = agents.map((a) => a.bin.dataDir);
    const pids = () => new Map(taskProcesses(dataDirs).map((p) => [p.taskId, p.pid]));
    const pidsBefore = pids();
    const ids = before.map((t) => t.taskId).sort();
    expect([...pidsBefore.keys()].sort()).toEqual(ids);
    const lateIds = before.filter((t) => t.node === late.bin.hostname).map((t) => t.taskId);
    const watch = watchProcesses(dataDirs);
    const earlyLeases = early.bin.lines.filter((l) => LEASE_TAKEN.test(l)).length;
    const seenBefore = early.bin.lines.length;

    await setup.gw.stop();
    late.proxy.cut();
    await elapse(OUTAGE_MS);
    await setup.gw.start();
    const up = Date.now();
    await waitFor(
      "the early agent took the lease after the outage",
      () => early.bin.lines.filter((l) => LEASE_TAKEN.test(l)).length > earlyLeases,
      { timeout: 30_000 },
    );
    // Its first cycle sees the late agent lost (it is still cut off), and must not act on it.
    await waitFor("the new holder's first cycle with the late agent lost", async () => {
      const rows = await agentRows();
      return (
        rows.find((r) => r.hostname === late.bin.hostname)?.state === "lost" &&
        early.bin.lines.slice(seenBefore).some((l) => JUDGED.test(l))
      );
    });
    expect((await agentRows()).find((r) => r.leaseHolder)?.hostname).toBe(early.bin.hostname);
    await elapse(HOLD_BACK_MS);
    late.proxy.mend();

    await waitFor(
      "the late agent heard again",
      async () => (await agentRows()).find((r) => r.hostname === late.bin.hostname)?.state === "healthy",
      { timeout: 30_000, interval: 200 },
    );
    // Past the point where the holder trusts the gateway's verdicts again (its own contact
    // began after `up`), everything is still as it was.
    await elapse(Math.max(0, up + STALE_MS + 3_000 - Date.now()));
    const after = await waitFor(
      "4 healthy instances",
      async () => {
        const tasks = await healthy();
        return tasks.length === 4 && tasks;
      },
      { timeout: 30_000 },
    );
    const all = await appTasks();
    expect(all.filter((t) => t.state === "LOST")).toEqual([]);
    expect(all.map((t) => t.taskId).sort()).toEqual(ids); // no replacement was ever assigned
    expect(after.map((t) => t.taskId).sort()).toEqual(ids);
    expect(
      after
        .filter((t) => t.node === late.bin.hostname)
        .map((t) => t.taskId)
        .sort(),
    ).toEqual(lateIds.sort());
    expect(early.bin.lines.filter((l) => /"task lost with its agent"/.test(l))).toEqual([]);
    expect(early.bin.lines.some((l) => /"agents look stale after a break in contact/.test(l))).toBe(true);
    const seen = watch.stop();
    expect(seen.duplicates).toEqual([]);
    expect(seen.taskIds.sort()).toEqual(ids); // nothing else was ever launched
    expect(pids()).toEqual(pidsBefore); // the very same processes ran through it all
    expect(await Promise.all(after.map((t) => httpText(t.ports[0]!)))).toEqual(Array(4).fill("hello"));
    for (const a of agents)
      await waitFor(
        `${a.bin.hostname}'s outbox drained`,
        async () => (await agentBooks(a.bin.dataDir)).outbox === 0,
        {
          timeout: 30_000,
        },
      );
    expect((await agentRows()).map((r) => r.state)).toEqual(["healthy", "healthy"]);
  }, 180_000);
});

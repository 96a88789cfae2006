/**
 * The gateway goes away for 30 s (its server closed; then a new one on the same database file
 * and port) while an agent — the built bin, default timings — runs 2 instances of an HTTP
 * service. Meanwhile the workloads keep answering; one instance is killed behind the agent's
 * back (SIGKILL to its process group), and the agent records that in its books and outbox with
 * nobody to tell. Once the gateway is back, the update arrives (stamped with its time during
 * the outage), the lost instance is replaced, the other one was never touched, and the agent's
 * outbox drains with every state in its books matching the gateway's.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { InstallStatus } from "../../../gateway/contract/installs.js";
import { httpText, installStatus, newTestCluster, waitFor } from "../../helpers/agent.js";
import {
  agentBooks,
  agentIdOf,
  faultGateway,
  slowHttpPackage,
  spawnBinAgent,
  taskProcesses,
} from "./support.js";

const APP = "/steady";
const OUTAGE_MS = 30_000;
type AppStatus = InstallStatus["apps"][number];

const setup = faultGateway({}, slowHttpPackage("steady"));
let cluster: { id: string; joinToken: string };
beforeAll(async () => {
  cluster = await newTestCluster(setup.gw);
});

const healthyTasks = async () => {
  const app: AppStatus = (await installStatus(setup.gw, cluster.id, APP)).apps[0]!;
  return app.tasks.filter((t) => t.state === "RUNNING" && t.healthy === true);
};

/** Asks every port every 500 ms until `until` (epoch ms); returns the answers that were not `expected`. */
async function probeUntil(until: number, ports: () => number[], expected: string): Promise<string[]> {
  const misses: string[] = [];
  while (Date.now() < until) {
    const round = Date.now();
    for (const port of ports()) {
      const answer = await httpText(port);
      if (answer !== expected) misses.push(`${new Date().toISOString()} :${port} → ${answer}`);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 500 - (Date.now() - round))));
  }
  return misses;
}

describe("the gateway stopped for 30 s", () => {
  it("keeps workloads running, and delivers what happened meanwhile once it returns", async () => {
    const agent = await spawnBinAgent(setup.gw, { joinToken: cluster.joinToken, hostname: "outage-node" });
    const agentId = await waitFor("the agent registered", () => agentIdOf(agent.dataDir));
    await setup.gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "steady", appId: APP, options: { instances: 2 } } },
      201,
    );
    const [kept, doomed] = await waitFor(
      "2 healthy instances",
      async () => {
        const tasks = await healthyTasks();
        return tasks.length === 2 && tasks;
      },
      { timeout: 60_000 },
    );
    const pidOf = (taskId: string) => taskProcesses([agent.dataDir]).find((p) => p.taskId === taskId)?.pid;
    const keptPid = pidOf(kept!.taskId);
    const doomedPid = pidOf(doomed!.taskId);
    expect(keptPid).toBeDefined();
    expect(doomedPid).toBeDefined();

    await setup.gw.stop();
    const down = Date.now();
    expect(await httpText(setup.gw.port, "/healthz")).toBeUndefined();

    // 5 s into the outage, one instance dies behind the agent's back.
    const early = await probeUntil(down + 5_000, () => [kept!.ports[0]!, doomed!.ports[0]!], "hello");
    process.kill(-doomedPid!, "SIGKILL");
    const recorded = await waitFor("the agent recorded the death in its books and outbox", async () => {
      const books = await agentBooks(agent.dataDir);
      const row = books.tasks.find((t) => t.taskId === doomed!.taskId);
      return row?.state === "FAILED" && books.outbox > 0 && books;
    });
    expect(recorded.tasks.find((t) => t.taskId === kept!.taskId)?.state).toBe("RUNNING");
    const late = await probeUntil(down + OUTAGE_MS, () => [kept!.ports[0]!], "hello");
    expect([...early, ...late]).toEqual([]); // the workloads kept answering the whole time
    expect(pidOf(kept!.taskId)).toBe(keptPid);

    await setup.gw.start();
    const up = Date.now();
    const { tasks: rows } = await waitFor(
      "the outage's update delivered",
      async () => {
        const res = await setup.gw.api<{
          tasks: { taskId: string; state: string; reportedAt: string; message: string }[];
        }>(`/v1/clusters/${cluster.id}/agents/${agentId}/tasks`);
        return res.tasks.find((t) => t.taskId === doomed!.taskId)?.state === "FAILED" && res;
      },
      { timeout: 45_000, interval: 200 },
    );
    const report = rows.find((t) => t.taskId === doomed!.taskId)!;
    expect(Date.parse(report.reportedAt)).toBeGreaterThan(down); // stamped during the outage…
    expect(Date.parse(report.reportedAt)).toBeLessThan(up); // …delivered after it
    expect(report.message).toMatch(/SIGKILL/);

    // The dead instance is replaced; the other one ran through it all untouched.
    const after = await waitFor(
      "2 healthy instances again",
      async () => {
        const tasks = await healthyTasks();
        return tasks.length === 2 && tasks;
      },
      { timeout: 45_000 },
    );
    expect(after.map((t) => t.taskId)).toContain(kept!.taskId);
    expect(after.map((t) => t.taskId)).not.toContain(doomed!.taskId);
    expect(pidOf(kept!.taskId)).toBe(keptPid);
    expect(await Promise.all(after.map((t) => httpText(t.ports[0]!)))).toEqual(["hello", "hello"]);

    await waitFor("the agent's outbox drained", async () => (await agentBooks(agent.dataDir)).outbox === 0, {
      timeout: 30_000,
    });
    const books = await agentBooks(agent.dataDir);
    const { tasks: final } = await setup.gw.api<{ tasks: { taskId: string; state: string }[] }>(
      `/v1/clusters/${cluster.id}/agents/${agentId}/tasks`,
    );
    const reported = new Map(final.map((r) => [r.taskId, r.state]));
    expect(books.tasks.map((t) => [t.taskId, reported.get(t.taskId)])).toEqual(
      books.tasks.map((t) => [t.taskId, t.state]),
    );
    expect(
      taskProcesses([agent.dataDir])
        .map((p) => p.taskId)
        .sort(),
    ).toEqual(after.map((t) => t.taskId).sort());
  }, 150_000);
});

/**
 * `kill -9` of the agent (the built bin, a child process) twice in the middle of a rolling
 * upgrade — once while it stops an old instance, once right after it launched a new one —
 * each time restarted on the same data directory. The app has 3 instances, minimumHealthCapacity
 * 0.5 and maximumOverCapacity 0 (minHealthy 2, maxCapacity 3: one instance at a time), and new
 * instances listen only 2.5 s after they start, so the upgrade is slow enough to be caught in
 * the middle. Throughout, /proc is sampled: never more than maxCapacity processes of the app,
 * never a task id with two processes. Afterwards the upgrade has completed, the agent's outbox
 * is empty, every task state in its books is the gateway's, and the processes running are
 * exactly the tasks the gateway shows RUNNING.
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
  watchProcesses,
} from "./support.js";

const APP = "/roll";
const MAX_CAPACITY = 3;
type AppStatus = InstallStatus["apps"][number];

const setup = faultGateway(
  {},
  slowHttpPackage("roll", { listenDelayMs: 2_500, minimumHealthCapacity: 0.5, maximumOverCapacity: 0 }),
);
let cluster: { id: string; joinToken: string };
beforeAll(async () => {
  cluster = await newTestCluster(setup.gw);
});

const appOf = async (): Promise<AppStatus> => (await installStatus(setup.gw, cluster.id, APP)).apps[0]!;

/** `n` healthy instances, all of one version, each answering `message`. */
function converged(n: number, message: string, timeout = 60_000): Promise<AppStatus> {
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

describe("kill -9 of the agent during a rolling upgrade", () => {
  it("completes the upgrade after a restart, with no duplicate task and no lost update", async () => {
    const first = await spawnBinAgent(setup.gw, { joinToken: cluster.joinToken, hostname: "roll-node" });
    const watch = watchProcesses([first.dataDir]);
    await setup.gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "roll", appId: APP, options: { instances: 3 } } },
      201,
    );
    const before = await converged(3, "hello");
    const oldVersion = before.tasks.find((t) => t.state === "RUNNING")!.version;

    await setup.gw.api(`/v1/clusters/${cluster.id}/installs/roll`, {
      method: "PATCH",
      body: { options: { message: "bonjour" } },
    });
    // First kill: the moment the agent starts stopping an old instance (the kill is in flight).
    await first.line(/"killing task"/);
    await first.kill9();
    const second = await spawnBinAgent(setup.gw, { dataDir: first.dataDir, hostname: "roll-node" });
    // Second kill: the moment its successor is launched (started, not healthy for 2.5 s).
    const launched = JSON.parse(await second.line(/"task launched"/)) as { taskId: string };
    await second.kill9();
    const orphans = taskProcesses([first.dataDir]).map((p) => p.taskId);
    expect(orphans).toContain(launched.taskId); // the workloads outlive the agent
    expect(orphans.length).toBeLessThanOrEqual(MAX_CAPACITY);

    const third = await spawnBinAgent(setup.gw, { dataDir: first.dataDir, hostname: "roll-node" });
    const after = await converged(3, "bonjour", 90_000);
    expect(after.tasks.filter((t) => t.state === "RUNNING").every((t) => t.version !== oldVersion)).toBe(
      true,
    );
    expect(after.tasks.filter((t) => t.version === oldVersion).map((t) => t.state)).toEqual([
      "KILLED",
      "KILLED",
      "KILLED",
    ]);
    for (const agent of [second, third]) {
      const recovered = JSON.parse(await agent.line(/"recovered"/)) as { adopted: number; lost: number };
      expect(recovered.adopted).toBeGreaterThanOrEqual(2);
      expect(recovered.lost).toBe(0);
    }

    const seen = watch.stop();
    expect(seen.duplicates).toEqual([]); // no task id ever ran as two processes
    expect(seen.mostAtOnce[APP]).toBeLessThanOrEqual(MAX_CAPACITY);
    expect(seen.taskIds.length).toBeGreaterThanOrEqual(6); // 3 old + at least 3 new were seen

    // No update lost: the outbox drains, and the gateway has every state the agent recorded.
    const agentId = agentIdOf(first.dataDir)!;
    await waitFor("the agent's outbox drained", async () => (await agentBooks(first.dataDir)).outbox === 0, {
      timeout: 30_000,
    });
    const books = await agentBooks(first.dataDir);
    const { tasks: rows } = await setup.gw.api<{ tasks: { taskId: string; state: string }[] }>(
      `/v1/clusters/${cluster.id}/agents/${agentId}/tasks`,
    );
    const reported = new Map(rows.map((r) => [r.taskId, r.state]));
    expect(books.tasks.map((t) => [t.taskId, reported.get(t.taskId)])).toEqual(
      books.tasks.map((t) => [t.taskId, t.state]),
    );
    // What runs is exactly what the gateway shows RUNNING.
    const running = rows.filter((r) => r.state === "RUNNING").map((r) => r.taskId);
    expect(running).toHaveLength(3);
    expect(
      taskProcesses([first.dataDir])
        .map((p) => p.taskId)
        .sort(),
    ).toEqual(running.sort());
  }, 150_000);
});

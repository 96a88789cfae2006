/**
 * The `flotilla-agent` bin as a real child process: it registers with a join token and keeps
 * its credential (0600); SIGTERM stops it while its workload keeps running; started again
 * without a join token it adopts that workload instead of launching a second copy; and once
 * an operator deletes the agent, it stops with exit code 3 and says why.
 */
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cleanUpAgents,
  installStatus,
  liveTaskPids,
  newTestCluster,
  publishBundle,
  spawnAgent,
  startTestGateway,
  type TestGateway,
  waitFor,
} from "../../helpers/agent.js";
import { httpServicePackage } from "./fixtures.js";

let gw: TestGateway;

beforeAll(async () => {
  gw = await startTestGateway();
  await publishBundle(gw, httpServicePackage("bin-http"));
});

afterAll(async () => {
  await cleanUpAgents();
  await gw?.close();
});

describe("the flotilla-agent bin", () => {
  it("registers once, stops on SIGTERM leaving its task running, and adopts it on the next start", async () => {
    const cluster = await newTestCluster(gw);
    const first = await spawnAgent(gw, { joinToken: cluster.joinToken, hostname: "bin-node" });
    const agents = await waitFor("the agent registered", async () => {
      const { agents } = await gw.api<{ agents: { id: string; hostname: string }[] }>(
        `/v1/clusters/${cluster.id}/agents`,
      );
      return agents.length === 1 && agents;
    });
    expect(agents[0]!.hostname).toBe("bin-node");
    const credential = join(first.dataDir, "credential.json");
    await waitFor("the credential stored", () => existsSync(credential));
    expect(statSync(credential).mode & 0o777).toBe(0o600);

    await gw.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "bin-http", appId: "/bin", options: { instances: 1 } } },
      201,
    );
    const running = await waitFor(
      "one healthy instance",
      async () => {
        const app = (await installStatus(gw, cluster.id, "/bin")).apps[0]!;
        return app.instances.healthy === 1 && app.tasks.find((t) => t.state === "RUNNING");
      },
      { timeout: 60_000 },
    );
    const [pid] = liveTaskPids(first.dataDir);

    expect(await first.stop("SIGTERM")).toEqual({ code: 0, signal: null });
    expect(first.lines.some((l) => l.includes('"agent stopped"'))).toBe(true);
    expect(liveTaskPids(first.dataDir)).toEqual([pid]); // the workload outlives the agent

    // No join token this time: the stored credential is enough.
    const second = await spawnAgent(gw, { dataDir: first.dataDir, hostname: "bin-node" });
    await waitFor("the agent recovered", () => second.lines.some((l) => l.includes('"recovered"')), {
      timeout: 30_000,
    });
    const recovered = JSON.parse(second.lines.find((l) => l.includes('"recovered"'))!) as { adopted: number };
    expect(recovered.adopted).toBe(1);
    const app = (await installStatus(gw, cluster.id, "/bin")).apps[0]!;
    expect(app.tasks.filter((t) => t.state === "RUNNING").map((t) => t.taskId)).toEqual([running.taskId]);
    expect(liveTaskPids(first.dataDir)).toEqual([pid]);
    const { agents: after } = await gw.api<{ agents: unknown[] }>(`/v1/clusters/${cluster.id}/agents`);
    expect(after).toHaveLength(1); // the same agent, not a second registration

    await gw.api(`/v1/clusters/${cluster.id}/agents/${agents[0]!.id}`, { method: "DELETE" }, 204);
    const exit = await waitFor(
      "the agent stopped by itself",
      () => second.child.exitCode !== null && second.exited,
      {
        timeout: 60_000,
      },
    );
    expect((await exit).code).toBe(3);
    expect(second.lines.join("\n")).toMatch(/the agent was probably deleted/);
  }, 180_000);

  it("refuses to start without a gateway and says which setting is missing", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["--import", "tsx", "agent/main.ts"], {
      env: { PATH: process.env.PATH ?? "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (c: string) => {
      err += c;
    });
    const code = await new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
    expect(code).toBe(2);
    expect(err).toContain("--gateway / FLOTILLA_GATEWAY: is required");
  }, 30_000);
});

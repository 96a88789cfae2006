/**
 * The agent daemon with the Docker runtime, against a real gateway and the private dockerd
 * (DOCKER_HOST; `bash scripts/docker-up.sh` starts it — no daemon is a FAILURE, not a skip),
 * with the local busybox:local image. A package made from samples/packages/busybox-web's
 * template (busybox httpd on PORT0, host network, restart backoff 2 s) is installed: its
 * container answers on its assigned port. Then the container is killed behind the agent's back
 * (Engine API, SIGKILL): the agent reports the task FAILED and, after the restart backoff,
 * launches a replacement (a new task id, a new container) that answers again.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentConfig } from "../../../agent/config.js";
import { createDaemon, type Daemon } from "../../../agent/daemon/daemon.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import { type ContainerJson, containerName } from "../../../agent/runtime/docker-container.js";
import { LABELS } from "../../../agent/runtime/types.js";
import type { InstallStatus } from "../../../gateway/contract/installs.js";
import {
  FAST_TIMINGS,
  httpText,
  installStatus,
  newTestCluster,
  portBlock,
  publishBundle,
  startTestGateway,
  type TestGateway,
  waitFor,
} from "../../helpers/agent.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage, requireDocker, type TestDocker } from "../../helpers/docker.js";

const APP = "/docker-web";
const BACKOFF_S = 2;
type Task = InstallStatus["apps"][number]["tasks"][number];

/** busybox-web's template, with a restart backoff long enough to see. */
function busyboxWebPackage(): Record<string, string> {
  const app = {
    id: APP,
    instances: 1,
    cpus: 0.1,
    mem: 32,
    container: { type: "DOCKER", docker: { image: BUSYBOX_IMAGE } },
    cmd: 'mkdir -p /tmp/www && echo "$MESSAGE" > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:$PORT0 -h /tmp/www',
    env: { MESSAGE: "{{message}}" },
    portDefinitions: [{ port: 0, name: "http" }],
    healthChecks: [
      {
        protocol: "HTTP",
        path: "/",
        portIndex: 0,
        gracePeriodSeconds: 15,
        intervalSeconds: 1,
        timeoutSeconds: 2,
      },
    ],
    backoffSeconds: BACKOFF_S,
    taskKillGracePeriodSeconds: 1,
  };
  return {
    "package.json": JSON.stringify({
      packagingVersion: "flotilla/1",
      name: "docker-web",
      version: "1.0.0",
      maintainer: "tests@flotilla.test",
      description: "busybox httpd in a container, for the agent's Docker tests",
      tags: ["test", "docker"],
    }),
    "config.json": JSON.stringify({
      type: "object",
      properties: { message: { type: "string", default: "hello from busybox" } },
    }),
    "marathon.json.mustache": JSON.stringify(app),
  };
}

let docker: TestDocker;
let gw: TestGateway | undefined;
let daemon: Daemon | undefined;
let dataDir: string | undefined;

beforeAll(async () => {
  docker = await requireDocker();
  await ensureBusyboxImage(docker.client);
  gw = await startTestGateway();
  await publishBundle(gw, busyboxWebPackage());
});

afterAll(async () => {
  const agentId = daemon?.identity?.agentId;
  await daemon?.stop();
  if (agentId && docker) {
    const res = await docker.client.call("/containers/json", {
      query: { all: true, filters: JSON.stringify({ label: [`${LABELS.agentId}=${agentId}`] }) },
    });
    for (const c of res.json<{ Id: string }[]>())
      await docker.client.call(`/containers/${c.Id}`, { method: "DELETE", query: { force: true, v: true } });
  }
  await docker?.client.close();
  await gw?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const inspect = async (taskId: string) =>
  (await docker.client.call(`/containers/${containerName(taskId)}/json`)).json<
    ContainerJson & {
      HostConfig: { NetworkMode: string; Init: boolean | null };
      State: { StartedAt: string };
    }
  >();

describe("agent daemon with the Docker runtime", () => {
  it("runs busybox httpd on its assigned port, and replaces the container killed behind its back after the backoff", async () => {
    const cluster = await newTestCluster(gw!);
    dataDir = await mkdtemp(join(tmpdir(), "flotilla-agent-docker-"));
    const config: AgentConfig = {
      gateway: gw!.url,
      joinToken: cluster.joinToken,
      dataDir,
      runtime: "docker",
      dockerHost: docker.dockerHost,
      resources: { cpus: 2, mem: 2048, disk: 10_000, gpus: 0 },
      attributes: {},
      ports: [portBlock()],
      hostname: "docker-node",
      logLevel: "info",
    };
    daemon = createDaemon(config, {
      timings: FAST_TIMINGS,
      ...(!process.env.FLOTILLA_TEST_LOGS && { logger: silentLogger }),
    });
    await daemon.start();
    await gw!.api(
      `/v1/clusters/${cluster.id}/installs`,
      { body: { package: "docker-web", appId: APP } },
      201,
    );

    const healthy = async (): Promise<Task | undefined> =>
      (await installStatus(gw!, cluster.id, APP)).apps[0]!.tasks.find(
        (t) => t.state === "RUNNING" && t.healthy === true,
      );
    const first = await waitFor("a healthy container", healthy, { timeout: 60_000, interval: 200 });
    const port = first.ports[0]!;
    expect(port).toBeGreaterThanOrEqual(config.ports[0]![0]);
    expect(port).toBeLessThanOrEqual(config.ports[0]![1]);
    expect(await httpText(port)).toBe("hello from busybox\n");
    const container = await inspect(first.taskId);
    expect(container.State.Running).toBe(true);
    expect(container.HostConfig.NetworkMode).toBe("host");
    expect(container.Config.Labels).toMatchObject({
      [LABELS.taskId]: first.taskId,
      [LABELS.appId]: APP,
      [LABELS.agentId]: daemon.identity!.agentId,
    });

    // Killed behind the agent's back.
    const kill = await docker.client.call(`/containers/${containerName(first.taskId)}/kill`, {
      method: "POST",
      query: { signal: "SIGKILL" },
    });
    expect(kill.status).toBe(204);
    const killedAt = Date.now();
    expect(await httpText(port)).toBeUndefined();

    const failed = await waitFor("the dead task reported", async () => {
      const tasks = (await installStatus(gw!, cluster.id, APP)).apps[0]!.tasks;
      return tasks.find((t) => t.taskId === first.taskId && t.state === "FAILED");
    });
    expect(failed.message).toMatch(/code 137/);

    const second = await waitFor("a healthy replacement", healthy, { timeout: 60_000, interval: 200 });
    expect(second.taskId).not.toBe(first.taskId);
    const replacement = await inspect(second.taskId);
    // Launched only after the restart backoff (the failure is stamped a moment after the kill).
    expect(Date.parse(replacement.State.StartedAt) - killedAt).toBeGreaterThanOrEqual(
      BACKOFF_S * 1_000 - 100,
    );
    expect(await httpText(second.ports[0]!)).toBe("hello from busybox\n");
    // The dead container is kept (its logs stay readable), not restarted in place.
    expect((await inspect(first.taskId)).State.Running).toBe(false);
  }, 120_000);
});

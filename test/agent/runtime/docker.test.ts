// The Docker runtime against a real dockerd (DOCKER_HOST) with a busybox image made from the
// host's static busybox. No daemon = every test here FAILS, saying how to start one.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTaskMonitor } from "../../../agent/health/task-monitor.js";
import { DockerRuntime, detectDocker } from "../../../agent/runtime/docker.js";
import { createRuntime } from "../../../agent/runtime/select.js";
import type { ContainerRuntime, TaskLaunchSpec } from "../../../agent/runtime/types.js";
import {
  BUSYBOX_IMAGE,
  ensureBusyboxImage,
  removeImage,
  requireDocker,
  type TestDocker,
} from "../../helpers/docker.js";
import { freePorts, httpGet, tempDir, uniqueTaskId, waitFor } from "./support.js";

let docker: TestDocker;
let rt: DockerRuntime;
const agentId = uniqueTaskId("agent");
const launched = new Set<string>();
const extraRuntimes: ContainerRuntime[] = [];

function spec(overrides: Partial<TaskLaunchSpec>): TaskLaunchSpec {
  const taskId = uniqueTaskId("web");
  launched.add(taskId);
  return {
    taskId,
    kind: "service",
    appId: "/test/web",
    image: BUSYBOX_IMAGE,
    env: {},
    ports: [],
    cpus: 0.1,
    mem: 32,
    labels: { team: "infra" },
    killGracePeriodMs: 2000,
    ...overrides,
  };
}

/** An HTTP server in the container on its assigned port, serving one page. */
const httpd = (page: string) =>
  `mkdir -p /tmp/www && echo "${page}" > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:$PORT0 -h /tmp/www`;

let setupError: unknown;
beforeAll(async () => {
  try {
    docker = await requireDocker();
    await ensureBusyboxImage(docker.client);
    rt = new DockerRuntime({ dockerHost: docker.dockerHost, agentId });
  } catch (err) {
    setupError = err;
  }
});
// Thrown before each test (not from beforeAll), so a missing daemon counts as failed tests, not skipped ones.
beforeEach(() => {
  if (setupError) throw setupError;
});

afterEach(async () => {
  if (setupError) return;
  for (const taskId of launched) {
    await rt.kill(taskId, { gracePeriodMs: 0 }).catch(() => {});
    await rt.remove(taskId).catch(() => {});
  }
  launched.clear();
  for (const other of extraRuntimes.splice(0)) await other.close();
});

afterAll(async () => {
  await rt?.close();
  await rt?.close(); // twice is fine
  await docker?.client.close();
});

describe("launching containers", () => {
  it("runs a container that serves HTTP on its assigned port", async () => {
    const [port] = await freePorts(1);
    const task = spec({ cmd: httpd("hello from busybox"), ports: [{ port: port!, name: "http" }] });
    const began = performance.now();
    const running = await rt.launch(task);
    const launchMs = performance.now() - began;
    expect(running).toMatchObject({ taskId: task.taskId, runtime: "docker" });
    expect(await rt.inspect(task.taskId)).toMatchObject({ state: "running", appId: "/test/web" });
    const res = await waitFor("httpd to answer", () => httpGet(port!));
    expect(res).toEqual({ status: 200, body: "hello from busybox\n" });
    expect(launchMs).toBeLessThan(5000);
  });

  it("gives the container its ports, HOST and task id in the environment, with cpu and memory limits", async () => {
    const task = spec({
      kind: "job",
      jobId: "env-check",
      runId: "r1",
      cmd: 'echo "$PORT0|$PORT_ADMIN_UI|$PORTS|$HOST|$MESOS_TASK_ID|$FLOTILLA_TASK_ID|$GREETING"',
      ports: [
        { port: 31001, name: "http" },
        { port: 31002, name: "admin-ui" },
      ],
      env: { GREETING: "hi there" },
      cpus: 0.5,
      mem: 64,
    });
    await rt.launch(task);
    const done = await rt.wait(task.taskId);
    expect(done).toMatchObject({
      state: "exited",
      exitCode: 0,
      jobId: "env-check",
      runId: "r1",
      kind: "job",
    });
    expect(await rt.logs(task.taskId)).toBe(
      `31001|31002|31001,31002|127.0.0.1|${task.taskId}|${task.taskId}|hi there\n`,
    );
    const json = (await docker.client.call(`/containers/${done.handle}/json`)).json<{
      HostConfig: { NanoCpus: number; Memory: number; NetworkMode: string; Init: boolean };
    }>();
    expect(json.HostConfig).toMatchObject({
      NanoCpus: 500_000_000,
      Memory: 64 * 1024 * 1024,
      NetworkMode: "host",
      Init: true,
    });
  });

  it("runs args without a shell and reports a non-zero exit code", async () => {
    const task = spec({ kind: "job", args: ["sh", "-c", "exit 7"] });
    await rt.launch(task);
    expect(await rt.wait(task.taskId)).toMatchObject({ state: "exited", exitCode: 7 });
  });

  it("fails clearly when the image is not on the daemon, and refuses a second launch of a task id", async () => {
    const missing = spec({ image: "flotilla-missing-image:nope", cmd: "true" });
    await expect(rt.launch(missing)).rejects.toMatchObject({
      code: "IMAGE_MISSING",
      message: expect.stringMatching(/flotilla-missing-image:nope.*docker import/),
    });
    const task = spec({ cmd: "sleep 30" });
    await rt.launch(task);
    await expect(rt.launch(task)).rejects.toMatchObject({ code: "TASK_EXISTS" });
  });

  it("keeps the logs of an exited container, stdout and stderr, with a tail", async () => {
    const task = spec({ kind: "job", cmd: "for i in 1 2 3; do echo out$i; done; echo oops >&2; exit 1" });
    await rt.launch(task);
    expect(await rt.wait(task.taskId)).toMatchObject({ exitCode: 1 });
    expect(await rt.logs(task.taskId, { stream: "stdout" })).toBe("out1\nout2\nout3\n");
    expect(await rt.logs(task.taskId, { stream: "stderr" })).toBe("oops\n");
    expect(await rt.logs(task.taskId, { stream: "stdout", tail: 2 })).toBe("out2\nout3\n");
    // Both streams together: Docker copies the two pipes separately, so only the set is certain.
    expect((await rt.logs(task.taskId)).split("\n").sort()).toEqual(["", "oops", "out1", "out2", "out3"]);
  });
});

describe("finding and stopping containers", () => {
  it("lists this agent's containers by label, also from a new runtime after an agent restart", async () => {
    const task = spec({ cmd: "sleep 30" });
    await rt.launch(task);
    const restarted = new DockerRuntime({ dockerHost: docker.dockerHost, agentId });
    const other = new DockerRuntime({ dockerHost: docker.dockerHost, agentId: `${agentId}-other` });
    extraRuntimes.push(restarted, other);
    const found = await restarted.list();
    expect(found).toEqual([
      expect.objectContaining({
        taskId: task.taskId,
        appId: "/test/web",
        state: "running",
        labels: expect.objectContaining({ team: "infra", "io.flotilla.agent-id": agentId }),
      }),
    ]);
    expect(found[0]!.startedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(await other.list()).toEqual([]);
    expect(await other.inspect(task.taskId)).toBeUndefined();
  });

  it("stops a container that handles SIGTERM at once", async () => {
    const [port] = await freePorts(1);
    const task = spec({ cmd: httpd("bye"), ports: [{ port: port! }] });
    await rt.launch(task);
    await waitFor("httpd to answer", () => httpGet(port!));
    const began = Date.now();
    await rt.kill(task.taskId, { gracePeriodMs: 5000 });
    expect(Date.now() - began).toBeLessThan(2500);
    expect(await rt.inspect(task.taskId)).toMatchObject({ state: "exited" });
    await expect(httpGet(port!)).rejects.toThrow();
  });

  it("kills a container that ignores SIGTERM once the grace period is over", async () => {
    const task = spec({ cmd: 'trap "" TERM; echo ready; while true; do sleep 1; done' });
    await rt.launch(task);
    await waitFor("the trap to be set", async () => (await rt.logs(task.taskId)).includes("ready"));
    const began = Date.now();
    await rt.kill(task.taskId, { gracePeriodMs: 700 });
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(700);
    expect(took).toBeLessThan(4000);
    expect(await rt.inspect(task.taskId)).toMatchObject({ state: "exited", exitCode: 137 });
  });

  it("wakes a waiter when the container is killed, and removes it only once it has stopped", async () => {
    const task = spec({ cmd: "sleep 30" });
    await rt.launch(task);
    const waiting = rt.wait(task.taskId);
    await expect(rt.remove(task.taskId)).rejects.toMatchObject({ code: "TASK_RUNNING" });
    await rt.kill(task.taskId, { gracePeriodMs: 1000 });
    expect(await waiting).toMatchObject({ state: "exited" });
    await rt.remove(task.taskId);
    expect(await rt.inspect(task.taskId)).toBeUndefined();
    await expect(rt.kill(task.taskId)).resolves.toBeUndefined();
  });
});

describe("commands inside the container", () => {
  it("runs an exec command and reports its exit code and output", async () => {
    const task = spec({ cmd: "echo ok > /tmp/ready; sleep 30", ports: [{ port: 31099 }] });
    await rt.launch(task);
    await waitFor(
      "the ready file",
      async () => (await rt.exec(task.taskId, "test -f /tmp/ready", { timeoutMs: 2000 })).exitCode === 0,
    );
    expect(await rt.exec(task.taskId, 'echo "port $PORT0"; exit 0', { timeoutMs: 2000 })).toEqual({
      exitCode: 0,
      output: "port 31099\n",
      timedOut: false,
    });
    expect(await rt.exec(task.taskId, "echo no >&2; exit 1", { timeoutMs: 2000 })).toEqual({
      exitCode: 1,
      output: "no\n",
      timedOut: false,
    });
    expect(await rt.exec(task.taskId, "sleep 3", { timeoutMs: 200 })).toMatchObject({ timedOut: true });
  });
});

describe("health checks of a container", () => {
  it("turn healthy by HTTP on the assigned port and by a COMMAND run inside the container", async () => {
    const [port] = await freePorts(1);
    const task = spec({ cmd: httpd("healthy"), ports: [{ port: port!, name: "http" }] });
    const started = await rt.launch(task);
    const check = {
      gracePeriodSeconds: 30,
      intervalSeconds: 0.05,
      timeoutSeconds: 2,
      maxConsecutiveFailures: 3,
    };
    const monitors = [
      createTaskMonitor({
        runtime: rt,
        taskId: task.taskId,
        ports: [port!],
        startedAt: started.startedAt,
        check: { ...check, protocol: "HTTP", path: "/index.html" },
      }),
      // /tmp/www exists only inside the container: the check cannot have run on the host.
      createTaskMonitor({
        runtime: rt,
        taskId: task.taskId,
        ports: [port!],
        startedAt: started.startedAt,
        check: { ...check, protocol: "COMMAND", command: { value: "grep -q healthy /tmp/www/index.html" } },
      }),
    ];
    try {
      for (const m of monitors) m.start();
      await waitFor("both checks to pass", () => monitors.every((m) => m.status().state === "healthy"));
      expect(monitors[1]!.status().lastResult).toMatchObject({ ok: true, message: "exit 0" });
    } finally {
      for (const m of monitors) m.stop();
    }
  });
});

describe("choosing and reaching the daemon", () => {
  it("says which socket it tried when no daemon answers", async () => {
    const gone = await tempDir("no-docker");
    try {
      const socket = `${gone.path}/docker.sock`;
      expect(await detectDocker(`unix://${socket}`)).toBe(false);
      const lonely = new DockerRuntime({ dockerHost: `unix://${socket}` });
      await expect(lonely.list()).rejects.toMatchObject({
        code: "RUNTIME_UNAVAILABLE",
        message: expect.stringContaining(socket),
      });
      await lonely.close();
      await expect(
        createRuntime({ kind: "docker", dataDir: gone.path, dockerHost: `unix://${socket}` }),
      ).rejects.toMatchObject({
        code: "RUNTIME_UNAVAILABLE",
        message: expect.stringContaining("scripts/docker-up.sh"),
      });
      const fallback = await createRuntime({
        kind: "auto",
        dataDir: gone.path,
        dockerHost: `unix://${socket}`,
      });
      expect(fallback.kind).toBe("process");
      await fallback.close();
    } finally {
      await gone.remove();
    }
  });

  it("picks Docker for runtime auto when the daemon answers", async () => {
    expect(await detectDocker(docker.dockerHost)).toBe(true);
    const auto = await createRuntime({
      kind: "auto",
      dataDir: "/nonexistent",
      dockerHost: docker.dockerHost,
    });
    extraRuntimes.push(auto);
    expect(auto.kind).toBe("docker");
  });

  it("builds the busybox image from the host's busybox binary", async () => {
    const image = `flotilla-test-busybox:${Date.now().toString(36)}`;
    await ensureBusyboxImage(docker.client, image);
    try {
      const task = spec({ kind: "job", image, cmd: "echo built; httpd --help >/dev/null 2>&1; echo $?" });
      await rt.launch(task);
      expect(await rt.wait(task.taskId)).toMatchObject({ exitCode: 0 });
      expect(await rt.logs(task.taskId)).toMatch(/^built\n/);
      await rt.remove(task.taskId);
    } finally {
      await removeImage(docker.client, image);
    }
  });
});

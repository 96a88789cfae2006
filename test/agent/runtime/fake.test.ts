// The in-memory runtime the daemon's unit tests drive: launches, exits on command, kills,
// planted tasks (as found after a restart), queued launch failures.
import { describe, expect, it } from "vitest";
import { FakeRuntime } from "../../../agent/runtime/fake.js";
import type { TaskLaunchSpec } from "../../../agent/runtime/types.js";

const spec = (taskId: string, overrides: Partial<TaskLaunchSpec> = {}): TaskLaunchSpec => ({
  taskId,
  kind: "service",
  appId: "/web",
  cmd: "serve",
  env: {},
  ports: [{ port: 31000, name: "http" }],
  cpus: 1,
  mem: 128,
  labels: {},
  killGracePeriodMs: 3000,
  ...overrides,
});

describe("FakeRuntime", () => {
  it("runs a launched task until the test makes it exit, and wakes waiters with the exit code", async () => {
    let now = 1000;
    const rt = new FakeRuntime({ now: () => now, agentId: "a1" });
    expect(await rt.launch(spec("web.1"))).toEqual({
      taskId: "web.1",
      runtime: "fake",
      handle: "fake-web.1",
      startedAt: 1000,
    });
    const waiting = rt.wait("web.1");
    now = 5000;
    rt.exit("web.1", 2);
    expect(await waiting).toMatchObject({ state: "exited", exitCode: 2, finishedAt: 5000, appId: "/web" });
    expect((await rt.inspect("web.1"))?.labels).toMatchObject({ "io.flotilla.agent-id": "a1" });
    expect(rt.launched.map((s) => s.taskId)).toEqual(["web.1"]);
  });

  it("records kills with their grace period, and a task that ignores kill ends only when told", async () => {
    const rt = new FakeRuntime();
    await rt.launch(spec("web.1"));
    await rt.launch(spec("web.2"));
    await rt.kill("web.1");
    expect(await rt.inspect("web.1")).toMatchObject({ state: "exited", signal: "SIGTERM", exitCode: null });
    rt.ignoreKill.add("web.2");
    let killed = false;
    const killing = rt.kill("web.2", { gracePeriodMs: 10 }).then(() => {
      killed = true;
    });
    await new Promise((r) => setImmediate(r));
    expect(killed).toBe(false);
    rt.exit("web.2", null, "SIGKILL");
    await killing;
    expect(rt.killed).toEqual([
      { taskId: "web.1", gracePeriodMs: 3000 },
      { taskId: "web.2", gracePeriodMs: 10 },
    ]);
  });

  it("lists planted tasks as adopted, fails queued launches, and refuses duplicates", async () => {
    const rt = new FakeRuntime();
    rt.plant({ taskId: "old.1", handle: "x", kind: "service", state: "running", labels: {} });
    expect(await rt.list()).toEqual([
      expect.objectContaining({ taskId: "old.1", adopted: true, state: "running" }),
    ]);
    rt.failNextLaunch();
    await expect(rt.launch(spec("web.1"))).rejects.toMatchObject({ code: "RUNTIME_FAILED" });
    await rt.launch(spec("web.1"));
    await expect(rt.launch(spec("web.1"))).rejects.toMatchObject({ code: "TASK_EXISTS" });
    await expect(rt.remove("web.1")).rejects.toMatchObject({ code: "TASK_RUNNING" });
    rt.execResults.set("web.1", { exitCode: 1, output: "down", timedOut: false });
    expect(await rt.exec("web.1", "check", { timeoutMs: 10 })).toMatchObject({ exitCode: 1 });
    expect(rt.running().sort()).toEqual(["old.1", "web.1"]);
  });
});

// The process runtime against real processes: env, sandbox files, kill with grace, adoption
// after an agent restart (a new runtime over the same data directory), pid reuse.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readProcStat } from "../../../agent/runtime/proc.js";
import { ProcessRuntime } from "../../../agent/runtime/process.js";
import { sandboxDir, writeRecord } from "../../../agent/runtime/process-record.js";
import type { TaskLaunchSpec } from "../../../agent/runtime/types.js";
import { freePorts, httpGet, tempDir, uniqueTaskId, waitFor } from "./support.js";

let dir: { path: string; remove: () => Promise<void> };
let runtimes: ProcessRuntime[];

function runtime(): ProcessRuntime {
  const rt = new ProcessRuntime({ dataDir: dir.path, agentId: "agent-test", pollIntervalMs: 20 });
  runtimes.push(rt);
  return rt;
}

function spec(overrides: Partial<TaskLaunchSpec>): TaskLaunchSpec {
  return {
    taskId: uniqueTaskId("web"),
    kind: "service",
    appId: "/test/web",
    env: {},
    ports: [],
    cpus: 0.1,
    mem: 32,
    labels: {},
    killGracePeriodMs: 2000,
    ...overrides,
  };
}

beforeEach(async () => {
  dir = await tempDir("process-runtime");
  runtimes = [];
});

afterEach(async () => {
  // Kill whatever a test left running, through a fresh runtime that sees every record.
  const sweeper = new ProcessRuntime({ dataDir: dir.path });
  for (const task of await sweeper.list()) await sweeper.kill(task.taskId, { gracePeriodMs: 0 });
  for (const rt of runtimes) await rt.close();
  await dir.remove();
});

describe("launching", () => {
  it("gives the task its ports as PORT0..n, PORT_<NAME> and PORTS, plus HOST, its task id and the app's env", async () => {
    const rt = runtime();
    const task = spec({
      cmd: 'echo "$PORT0|$PORT1|$PORT|$PORT_HTTP|$PORT_ADMIN_UI|$PORTS|$HOST|$MESOS_TASK_ID|$FLOTILLA_TASK_ID|$GREETING"; sleep 30',
      ports: [
        { port: 31001, name: "http" },
        { port: 31002, name: "admin-ui" },
      ],
      env: { GREETING: "hello world", PORT0: "1" },
    });
    await rt.launch(task);
    const line = await waitFor(
      "the task's first line",
      async () => (await rt.logs(task.taskId)) || undefined,
    );
    expect(line).toBe(
      `31001|31002|31001|31001|31002|31001,31002|127.0.0.1|${task.taskId}|${task.taskId}|hello world\n`,
    );
    expect(readFileSync(`${sandboxDir(dir.path, task.taskId)}/stdout`, "utf8")).toBe(line);
  });

  it("does not hand the agent's own environment to the task", async () => {
    const rt = runtime();
    process.env.FLOTILLA_AGENT_SECRET_FOR_TEST = "do-not-leak";
    try {
      const task = spec({ kind: "job", cmd: 'echo "secret=[$FLOTILLA_AGENT_SECRET_FOR_TEST] path=[$PATH]"' });
      await rt.launch(task);
      const done = await rt.wait(task.taskId);
      expect(done.exitCode).toBe(0);
      expect(await rt.logs(task.taskId)).toMatch(/^secret=\[\] path=\[\/.+\]\n$/);
    } finally {
      delete process.env.FLOTILLA_AGENT_SECRET_FOR_TEST;
    }
  });

  it("runs an HTTP server that answers on its assigned port", async () => {
    const rt = runtime();
    const [port] = await freePorts(1);
    const server =
      "require('http').createServer((q,s)=>s.end('hi from '+process.env.FLOTILLA_TASK_ID))" +
      ".listen(Number(process.env.PORT0),'127.0.0.1')";
    const task = spec({ args: [process.execPath, "-e", server], ports: [{ port: port!, name: "http" }] });
    await rt.launch(task);
    const res = await waitFor("the server to answer", () => httpGet(port!));
    expect(res).toEqual({ status: 200, body: `hi from ${task.taskId}` });
  });

  it("keeps stdout and stderr apart and returns the last lines on request", async () => {
    const rt = runtime();
    const task = spec({ kind: "job", cmd: "for i in 1 2 3 4 5; do echo out$i; done; echo oops >&2" });
    await rt.launch(task);
    await rt.wait(task.taskId);
    expect(await rt.logs(task.taskId, { stream: "stdout", tail: 2 })).toBe("out4\nout5\n");
    expect(await rt.logs(task.taskId, { stream: "stderr" })).toBe("oops\n");
    expect(await rt.logs(task.taskId)).toBe("out1\nout2\nout3\nout4\nout5\noops\n");
  });

  it("records the exit code of a job, and a restarted agent still reads it", async () => {
    const task = spec({ kind: "job", jobId: "nightly", runId: "r1", cmd: "exit 3" });
    await runtime().launch(task);
    const done = await runtimes[0]!.wait(task.taskId);
    expect(done).toMatchObject({
      state: "exited",
      exitCode: 3,
      jobId: "nightly",
      runId: "r1",
      adopted: false,
    });
    await runtimes[0]!.close();
    expect(await runtime().inspect(task.taskId)).toMatchObject({ state: "exited", exitCode: 3 });
  });

  it("refuses a second launch of the same task id, an image, and an unsafe task id", async () => {
    const rt = runtime();
    const task = spec({ cmd: "sleep 30" });
    await rt.launch(task);
    await expect(rt.launch(task)).rejects.toMatchObject({ code: "TASK_EXISTS" });
    await expect(rt.launch(spec({ image: "busybox:local", cmd: "true" }))).rejects.toMatchObject({
      code: "INVALID_SPEC",
      message: expect.stringContaining("busybox:local"),
    });
    await expect(rt.launch(spec({ taskId: "../escape", cmd: "true" }))).rejects.toMatchObject({
      code: "INVALID_SPEC",
    });
  });

  it("reports a program that cannot be started", async () => {
    const rt = runtime();
    await expect(rt.launch(spec({ args: ["/nonexistent/program"] }))).rejects.toMatchObject({
      code: "RUNTIME_FAILED",
      message: expect.stringContaining("/nonexistent/program"),
    });
  });
});

describe("killing", () => {
  it("lets a task that handles SIGTERM exit on its own within the grace period", async () => {
    const rt = runtime();
    const task = spec({ cmd: 'trap "echo bye; exit 0" TERM; echo ready; while :; do sleep 0.05; done' });
    await rt.launch(task);
    await waitFor("the trap to be set", async () => (await rt.logs(task.taskId)).includes("ready"));
    const began = Date.now();
    await rt.kill(task.taskId, { gracePeriodMs: 5000 });
    expect(Date.now() - began).toBeLessThan(2000);
    expect(await rt.inspect(task.taskId)).toMatchObject({ state: "exited", exitCode: 0 });
    expect(await rt.logs(task.taskId, { stream: "stdout" })).toBe("ready\nbye\n");
  });

  it("kills a task that ignores SIGTERM with SIGKILL once the grace period is over", async () => {
    const rt = runtime();
    const task = spec({ cmd: 'trap "" TERM; echo ready; while :; do sleep 0.05; done' });
    await rt.launch(task);
    await waitFor("the trap to be set", async () => (await rt.logs(task.taskId)).includes("ready"));
    const began = Date.now();
    await rt.kill(task.taskId, { gracePeriodMs: 400 });
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(400);
    expect(took).toBeLessThan(3000);
    expect(await rt.inspect(task.taskId)).toMatchObject({
      state: "exited",
      exitCode: null,
      signal: "SIGKILL",
    });
  });

  it("kills the whole process group, not only the shell", async () => {
    const rt = runtime();
    const task = spec({ cmd: "sleep 30 & echo $!; wait" });
    await rt.launch(task);
    const child = Number(
      await waitFor("the child's pid", async () => (await rt.logs(task.taskId)).trim() || undefined),
    );
    expect(readProcStat(child)).toBeDefined();
    await rt.kill(task.taskId, { gracePeriodMs: 1000 });
    const stat = readProcStat(child);
    expect(stat === undefined || stat.state === "Z").toBe(true);
  });

  it("treats killing an unknown or finished task as done", async () => {
    const rt = runtime();
    await expect(rt.kill("never-launched")).resolves.toBeUndefined();
    const task = spec({ kind: "job", cmd: "true" });
    await rt.launch(task);
    await rt.wait(task.taskId);
    await expect(rt.kill(task.taskId)).resolves.toBeUndefined();
  });
});

describe("after an agent restart", () => {
  it("adopts a process that is still running, can kill it, and says its exit code is unknown", async () => {
    const first = runtime();
    const task = spec({ cmd: "sleep 30", ports: [{ port: 31010 }] });
    const launched = await first.launch(task);
    await first.close(); // the old agent is gone; the process is not

    const second = runtime();
    const found = await second.list();
    expect(found).toEqual([
      expect.objectContaining({
        taskId: task.taskId,
        appId: "/test/web",
        state: "running",
        adopted: true,
        handle: launched.handle,
        labels: expect.objectContaining({
          "io.flotilla.task-id": task.taskId,
          "io.flotilla.agent-id": "agent-test",
        }),
      }),
    ]);
    expect(found[0]!.startedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(found[0]!.startedAt).toBeLessThanOrEqual(Date.now() + 1000);

    const waiting = second.wait(task.taskId);
    await second.kill(task.taskId, { gracePeriodMs: 1000 });
    const ended = await waiting;
    expect(ended).toMatchObject({ state: "exited", exitCode: null, adopted: true });
    expect(ended.note).toMatch(/exit code unknown/);
  });

  it("reports a record whose pid now belongs to another process as gone, and never signals that process", async () => {
    const rt = runtime();
    const stranger = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      const real = readProcStat(stranger.pid!)!;
      writeRecord(dir.path, {
        version: 1,
        taskId: "reused.1",
        kind: "service",
        appId: "/test/web",
        pid: stranger.pid!,
        startTicks: real.startTicks - 1, // our process started earlier; this pid is someone else's now
        startedAt: Date.now() - 60_000,
        argv: ["/bin/sh", "-c", "sleep 30"],
        cwd: dir.path,
        env: {},
        labels: {},
        killGracePeriodMs: 0,
      });
      const seen = await rt.inspect("reused.1");
      expect(seen).toMatchObject({ state: "exited", exitCode: null });
      expect(seen!.note).toMatch(/belongs to another process/);
      await rt.kill("reused.1", { gracePeriodMs: 0 });
      await new Promise((r) => setTimeout(r, 100));
      expect(stranger.exitCode).toBeNull();
      expect(stranger.signalCode).toBeNull();
    } finally {
      stranger.kill("SIGKILL");
    }
  });

  it("reports a record whose pid no longer exists as gone", async () => {
    const rt = runtime();
    writeRecord(dir.path, {
      version: 1,
      taskId: "vanished.1",
      kind: "service",
      pid: 4_194_304, // above any pid_max: no process can have it
      startTicks: 123,
      startedAt: Date.now() - 60_000,
      argv: ["sleep", "30"],
      cwd: dir.path,
      env: {},
      labels: {},
      killGracePeriodMs: 0,
    });
    expect(await rt.list()).toEqual([
      expect.objectContaining({ taskId: "vanished.1", state: "exited", exitCode: null, adopted: true }),
    ]);
  });
});

describe("exec and remove", () => {
  it("runs a command in the task's context: its env, its sandbox, with a timeout", async () => {
    const rt = runtime();
    const task = spec({ cmd: "echo hi > marker; sleep 30", ports: [{ port: 31005 }] });
    await rt.launch(task);
    await waitFor(
      "the marker file",
      async () => (await rt.exec(task.taskId, "test -f marker", { timeoutMs: 2000 })).exitCode === 0,
    );
    expect(await rt.exec(task.taskId, 'test "$PORT0" = 31005 && echo yes', { timeoutMs: 2000 })).toEqual({
      exitCode: 0,
      output: "yes\n",
      timedOut: false,
    });
    expect((await rt.exec(task.taskId, "exit 1", { timeoutMs: 2000 })).exitCode).toBe(1);
    const slow = await rt.exec(task.taskId, "sleep 5", { timeoutMs: 200 });
    expect(slow).toMatchObject({ exitCode: null, timedOut: true });
  });

  it("removes an exited task's sandbox but refuses to remove a running one", async () => {
    const rt = runtime();
    const running = spec({ cmd: "sleep 30" });
    await rt.launch(running);
    await expect(rt.remove(running.taskId)).rejects.toMatchObject({ code: "TASK_RUNNING" });
    const finished = spec({ kind: "job", cmd: "true" });
    await rt.launch(finished);
    await rt.wait(finished.taskId);
    await rt.remove(finished.taskId);
    expect(await rt.inspect(finished.taskId)).toBeUndefined();
    expect((await rt.list()).map((t) => t.taskId)).toEqual([running.taskId]);
  });
});

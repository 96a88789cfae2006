/**
 * The node-local executor with the fake runtime: it launches each assigned task once (env,
 * ports and resources from the spec), reports every state change through the outbox, reports
 * exits with their codes, kills what the scheduler marks or stops assigning, fails tasks it
 * cannot run, and kills a task whose health checks keep failing. As lease holder it starts its
 * own launches the moment the gateway accepted them, still once per task id.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Executor } from "../../../agent/daemon/executor.js";
import { GatewayError } from "../../../agent/daemon/gateway-client.js";
import { ulidFactory } from "../../../agent/daemon/ids.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import type { LocalStore } from "../../../agent/daemon/store.js";
import type { SecretSource } from "../../../agent/daemon/task-launcher.js";
import { daemonTimers } from "../../../agent/daemon/timers.js";
import { ManualTimers } from "../../../agent/health/timers.js";
import { FakeRuntime } from "../../../agent/runtime/fake.js";
import { waitFor } from "../../helpers/agent.js";
import { AGENT, desired, reported, taskUpdates, tempStore } from "./support.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(options: { healthTimers?: ManualTimers; secrets?: SecretSource } = {}) {
  const t = await tempStore();
  const runtime = new FakeRuntime({ agentId: AGENT });
  const executor = newExecutor(t.store, runtime, options.healthTimers, options.secrets);
  await executor.load();
  cleanups.push(async () => {
    await executor.stop();
    await t.remove();
  });
  return { ...t, runtime, executor };
}

function newExecutor(
  store: LocalStore,
  runtime: FakeRuntime,
  healthTimers?: ManualTimers,
  secrets?: SecretSource,
) {
  return new Executor({
    agentId: AGENT,
    runtime,
    store,
    timers: daemonTimers,
    ...(healthTimers && { healthTimers }),
    ...(secrets && { secrets }),
    logger: silentLogger,
    newId: ulidFactory(() => Date.now()),
    onReported: () => {},
  });
}

describe("executor", () => {
  it("launches each assigned task once, with its env, ports and resources, and reports STAGING then RUNNING", async () => {
    const { store, runtime, executor } = await setup();
    const doc = desired(1, [
      { taskId: "web.a" },
      { taskId: "web.b", spec: { ports: [{ port: 31002, name: "http" }] } },
    ]);
    executor.apply(doc);
    executor.apply(doc);
    await executor.idle();
    executor.apply({ ...doc, revision: 2 });
    await executor.idle();
    expect(runtime.launched.map((s) => s.taskId).sort()).toEqual(["web.a", "web.b"]);
    const b = runtime.launched.find((s) => s.taskId === "web.b")!;
    expect(b).toMatchObject({
      kind: "service",
      appId: "/web",
      cmd: "sleep 3600",
      cpus: 0.5,
      mem: 64,
      env: { MESSAGE: "hi" },
    });
    expect(b.ports).toEqual([{ port: 31002, name: "http" }]);
    expect((await reported(store)).filter((r) => r.startsWith("web.a"))).toEqual([
      "web.a:STAGING",
      "web.a:RUNNING",
    ]);
    const running = (await taskUpdates(store)).find((u) => u.taskId === "web.b" && u.state === "RUNNING")!;
    expect(running).toMatchObject({ appId: "/web", version: "v1", ports: [31002] });
  });

  it("reports how tasks end: exit 0 is FINISHED, anything else FAILED with its code", async () => {
    const { store, runtime, executor } = await setup();
    executor.apply(desired(1, [{ taskId: "ok" }, { taskId: "bad" }]));
    await executor.idle();
    runtime.exit("ok", 0);
    runtime.exit("bad", 3);
    await waitFor(
      "both ended",
      async () => (await reported(store)).filter((r) => /FINISHED|FAILED/.test(r)).length === 2,
    );
    const ended = (await taskUpdates(store)).filter((u) => u.state === "FINISHED" || u.state === "FAILED");
    expect(ended.map((u) => [u.taskId, u.state, u.message])).toEqual(
      expect.arrayContaining([
        ["ok", "FINISHED", "exited with code 0"],
        ["bad", "FAILED", "exited with code 3"],
      ]),
    );
  });

  it("kills a task the scheduler marks, and one whose assignment vanished", async () => {
    const { store, runtime, executor } = await setup();
    executor.apply(desired(1, [{ taskId: "a" }, { taskId: "b" }]));
    await executor.idle();
    executor.apply(desired(2, [{ taskId: "a", kill: true }]));
    await executor.idle();
    await waitFor(
      "both killed",
      async () => (await reported(store)).filter((r) => r.endsWith(":KILLED")).length === 2,
    );
    expect(runtime.killed.map((k) => k.taskId).sort()).toEqual(["a", "b"]);
    expect(runtime.killed[0]!.gracePeriodMs).toBe(1_000);
    const updates = await taskUpdates(store);
    expect(updates.filter((u) => u.taskId === "a").map((u) => u.state)).toEqual([
      "STAGING",
      "RUNNING",
      "KILLING",
      "KILLED",
    ]);
    expect(updates.find((u) => u.taskId === "b" && u.state === "KILLED")?.message).toMatch(
      /no longer assigned/,
    );
    expect(runtime.running()).toEqual([]);
  });

  it("launches its own accepted assignments before the desired state shows them, once, and only its own", async () => {
    const { runtime, executor } = await setup();
    const accepted = desired(0, [{ taskId: "b" }, { taskId: "c", agentId: "ag_other" }]).assignments;
    executor.launchAccepted(accepted, 2); // nothing verified runs yet (recovery comes first): ignored
    await executor.idle();
    expect(runtime.launched).toEqual([]);

    executor.apply(desired(1, [{ taskId: "a" }]));
    await executor.idle();
    executor.launchAccepted(accepted, 2);
    executor.launchAccepted(accepted, 2);
    await executor.idle();
    expect(runtime.launched.map((l) => l.taskId)).toEqual(["a", "b"]);
    executor.apply(desired(1, [{ taskId: "a" }])); // a resync of the older document: b stays
    await executor.idle();
    executor.apply(desired(2, [{ taskId: "a" }, { taskId: "b" }]));
    await executor.idle();
    expect(runtime.launched.map((l) => l.taskId)).toEqual(["a", "b"]);
    expect(runtime.killed).toEqual([]);

    executor.launchAccepted(desired(0, [{ taskId: "d" }]).assignments, 3);
    await executor.idle();
    executor.apply(desired(3, [{ taskId: "a" }, { taskId: "b" }])); // as new, and without d: d goes
    await executor.idle();
    expect(runtime.launched.map((l) => l.taskId)).toEqual(["a", "b", "d"]);
    await waitFor("d killed", () => runtime.killed.some((k) => k.taskId === "d"));
    expect(runtime.killed.map((k) => k.taskId)).toEqual(["d"]);
  });

  it("records a task killed before it ran as KILLED, and never launches it", async () => {
    const { store, runtime, executor } = await setup();
    executor.apply(desired(1, [{ taskId: "late", kill: true }]));
    await executor.idle();
    executor.apply(desired(2, [{ taskId: "late", kill: true }]));
    await executor.idle();
    expect(runtime.launched).toEqual([]);
    expect(await reported(store)).toEqual(["late:KILLED"]);
  });

  it("fails a task whose env names an undeclared secret, or whose spec is broken, without launching it", async () => {
    const { store, runtime, executor } = await setup({ secrets: async () => ({}) });
    executor.apply(
      desired(1, [
        { taskId: "secret", spec: { env: { DB_PASSWORD: { secret: "db-pass" } } } },
        { taskId: "broken", spec: { resources: "lots" } },
      ]),
    );
    await executor.idle();
    expect(runtime.launched).toEqual([]);
    const updates = await taskUpdates(store);
    expect(updates.map((u) => `${u.taskId}:${u.state}`).sort()).toEqual(["broken:FAILED", "secret:FAILED"]);
    expect(updates.find((u) => u.taskId === "secret")?.message).toMatch(
      /env DB_PASSWORD refers to secret "db-pass", which the app's \(or job run's\) secrets do not declare/,
    );
    expect(updates.find((u) => u.taskId === "broken")?.message).toMatch(/spec is invalid: resources/);
  });

  it("launches a task with the values of the secrets its env refers to, and keeps them out of its books", async () => {
    const asked: string[][] = [];
    const { store, runtime, executor, dir } = await setup({
      secrets: async (paths) => {
        asked.push(paths);
        return { "db/password": "hunter2-value" };
      },
    });
    const spec = {
      env: { PLAIN: "p", DB_PASSWORD: { secret: "db" }, AGAIN: { secret: "db" } },
      secrets: { db: { source: "/db/password" } },
    };
    executor.apply(desired(1, [{ taskId: "web.s", spec }]));
    await executor.idle();
    expect(asked).toEqual([["db/password"]]);
    expect(runtime.launched[0]?.env).toEqual({
      PLAIN: "p",
      DB_PASSWORD: "hunter2-value",
      AGAIN: "hunter2-value",
    });
    expect(await reported(store)).toEqual(["web.s:STAGING", "web.s:RUNNING"]);
    // The agent's own store keeps the reference, not the value (status updates included).
    await store.close();
    const files = await readdir(dir, { recursive: true });
    for (const f of files) {
      const text = await readFile(join(dir, f)).catch(() => Buffer.alloc(0));
      expect(text.includes("hunter2-value"), f).toBe(false);
    }
  });

  it("fails the launch, saying why, when the gateway cannot give the secrets", async () => {
    const { store, runtime, executor } = await setup({
      secrets: async () => {
        throw new GatewayError(
          "unreachable",
          "POST /v1/agent/clusters/c/secrets: the gateway did not answer (ECONNREFUSED)",
        );
      },
    });
    executor.apply(
      desired(1, [
        { taskId: "t", spec: { env: { K: { secret: "k" } }, secrets: { k: { source: "api/key" } } } },
      ]),
    );
    await executor.idle();
    expect(runtime.launched).toEqual([]);
    const updates = await taskUpdates(store);
    expect(updates.map((u) => u.state)).toEqual(["FAILED"]);
    expect(updates[0]?.message).toMatch(/could not fetch secret api\/key from the gateway: .*did not answer/);
  });

  it("reports a failed launch as FAILED with the runtime's reason", async () => {
    const { store, runtime, executor } = await setup();
    runtime.failNextLaunch(new Error("image busybox:nope is missing"));
    executor.apply(desired(1, [{ taskId: "t" }]));
    await executor.idle();
    expect(await reported(store)).toEqual(["t:STAGING", "t:FAILED"]);
    expect((await taskUpdates(store))[1]!.message).toBe("could not launch: image busybox:nope is missing");
  });

  it("reports health changes and kills a task whose checks keep failing", async () => {
    const health = new ManualTimers(Date.now());
    const { store, runtime, executor } = await setup({ healthTimers: health });
    const check = {
      protocol: "COMMAND",
      command: { value: "check" },
      gracePeriodSeconds: 0,
      intervalSeconds: 1,
      timeoutSeconds: 1,
      maxConsecutiveFailures: 2,
    };
    executor.apply(desired(1, [{ taskId: "h", spec: { healthChecks: [check] } }]));
    await executor.idle();
    await health.advance(1);
    await waitFor("healthy", async () => (await taskUpdates(store)).some((u) => u.healthy === true));
    runtime.execResults.set("h", { exitCode: 1, output: "boom", timedOut: false });
    await health.advance(1_000);
    await health.advance(1_000);
    await waitFor("killed", async () => (await reported(store)).includes("h:KILLED"));
    const updates = await taskUpdates(store);
    expect(updates.map((u) => [u.state, u.healthy])).toEqual([
      ["STAGING", null],
      ["RUNNING", null],
      ["RUNNING", true],
      ["RUNNING", false],
      ["KILLING", false],
      ["KILLED", null],
    ]);
    expect(updates.at(-1)!.message).toMatch(
      /health checks failed: 2 consecutive COMMAND health check failures/,
    );
  });
});

/**
 * Recovery after an agent restart, with the fake runtime standing in for what really runs:
 * tasks still running and assigned are adopted (never launched again), running tasks no
 * longer assigned are killed, tasks that ended meanwhile are reported with their exit, and
 * tasks in the books that run nowhere are reported LOST — and their ids are never reused.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Executor } from "../../../agent/daemon/executor.js";
import { ulidFactory } from "../../../agent/daemon/ids.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import type { LocalStore } from "../../../agent/daemon/store.js";
import { daemonTimers } from "../../../agent/daemon/timers.js";
import { FakeRuntime } from "../../../agent/runtime/fake.js";
import { LABELS } from "../../../agent/runtime/types.js";
import { waitFor } from "../../helpers/agent.js";
import { AGENT, desired, reported, taskUpdates, tempStore } from "./support.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function executorOn(store: LocalStore, runtime: FakeRuntime): Promise<Executor> {
  const executor = new Executor({
    agentId: AGENT,
    runtime,
    store,
    timers: daemonTimers,
    logger: silentLogger,
    newId: ulidFactory(() => Date.now()),
    onReported: () => {},
  });
  await executor.load();
  cleanups.unshift(() => executor.stop());
  return executor;
}

/** Runs `doc` on a first executor, stops it (the "agent" goes away), and drops the outbox. */
async function runBefore(store: LocalStore, runtime: FakeRuntime, doc: ReturnType<typeof desired>) {
  const first = await executorOn(store, runtime);
  first.apply(doc);
  await first.idle();
  await first.stop();
  const { updates } = await store.peekOutbox(1000);
  await store.ackOutbox(updates.map((u) => u.id));
}

/** A fake runtime that "finds" these tasks, as after a restart of the agent process. */
function restarted(
  tasks: { taskId: string; state: "running" | "exited"; exitCode?: number; agentId?: string }[],
) {
  const runtime = new FakeRuntime({ agentId: AGENT });
  for (const t of tasks)
    runtime.plant({
      taskId: t.taskId,
      handle: `fake-${t.taskId}`,
      kind: "service",
      appId: "/web",
      state: t.state,
      startedAt: 500,
      ...(t.state === "exited" && { exitCode: t.exitCode ?? 0, finishedAt: 900 }),
      labels: { [LABELS.taskId]: t.taskId, [LABELS.agentId]: t.agentId ?? AGENT },
    });
  return runtime;
}

describe("recovery after a restart", () => {
  it("adopts what still runs and is assigned, kills what is no longer assigned, and reports the rest", async () => {
    const t = await tempStore();
    cleanups.push(t.remove);
    const doc = desired(1, [{ taskId: "keep" }, { taskId: "drop" }, { taskId: "done" }, { taskId: "gone" }]);
    await runBefore(t.store, new FakeRuntime({ agentId: AGENT }), doc);

    const runtime = restarted([
      { taskId: "keep", state: "running" },
      { taskId: "drop", state: "running" },
      { taskId: "done", state: "exited", exitCode: 0 },
      { taskId: "stranger", state: "running", agentId: "ag_other" }, // another agent's: not ours to touch
    ]);
    const executor = await executorOn(t.store, runtime);
    executor.apply(
      desired(2, [{ taskId: "keep" }, { taskId: "done" }, { taskId: "gone" }, { taskId: "new" }]),
    );
    await executor.idle();
    await waitFor("drop killed", async () => (await reported(t.store)).includes("drop:KILLED"));

    expect(runtime.launched.map((s) => s.taskId)).toEqual(["new"]); // nothing relaunched
    expect(runtime.killed.map((k) => k.taskId)).toEqual(["drop"]);
    expect(runtime.running().sort()).toEqual(["keep", "new", "stranger"]);
    const updates = await taskUpdates(t.store);
    const of = (id: string) => updates.filter((u) => u.taskId === id).map((u) => u.state);
    expect(of("keep")).toEqual([]); // it was RUNNING in the books and still is: nothing to say
    expect(of("done")).toEqual(["FINISHED"]);
    expect(updates.find((u) => u.taskId === "done")?.message).toMatch(
      /ended while the agent was not running/,
    );
    expect(of("gone")).toEqual(["LOST"]);
    expect(updates.find((u) => u.taskId === "gone")?.message).toMatch(/no process or container found/);
    expect(of("stranger")).toEqual([]);

    runtime.exit("keep", 2); // an adopted task is watched like any other
    await waitFor("keep's exit", async () => (await reported(t.store)).includes("keep:FAILED"));
  });

  it("never launches a lost task's id again, even when it is still assigned", async () => {
    const t = await tempStore();
    cleanups.push(t.remove);
    const doc = desired(1, [{ taskId: "once" }]);
    await runBefore(t.store, new FakeRuntime({ agentId: AGENT }), doc);
    for (let restart = 0; restart < 2; restart++) {
      const runtime = restarted([]);
      const executor = await executorOn(t.store, runtime);
      executor.apply(doc);
      await executor.idle();
      await executor.stop();
      expect(runtime.launched).toEqual([]);
    }
    expect(await reported(t.store)).toEqual(["once:LOST"]);
  });

  it("finishes a kill that was under way when the agent stopped", async () => {
    const t = await tempStore();
    cleanups.push(t.remove);
    const first = new FakeRuntime({ agentId: AGENT });
    first.ignoreKill.add("stubborn");
    const executor = await executorOn(t.store, first);
    executor.apply(desired(1, [{ taskId: "stubborn" }]));
    await executor.idle();
    executor.apply(desired(2, [{ taskId: "stubborn", kill: true }]));
    await waitFor("KILLING reported", async () => (await reported(t.store)).includes("stubborn:KILLING"));
    await Promise.race([executor.stop(), new Promise((r) => setTimeout(r, 200))]);

    const runtime = restarted([{ taskId: "stubborn", state: "running" }]);
    const second = await executorOn(t.store, runtime);
    second.apply(desired(2, [{ taskId: "stubborn", kill: true }]));
    await second.idle();
    await waitFor("killed after the restart", async () =>
      (await reported(t.store)).includes("stubborn:KILLED"),
    );
    expect(runtime.killed.map((k) => k.taskId)).toEqual(["stubborn"]);
  });
});

/**
 * The holder's scheduling loop on a manual clock, against a fake gateway: an agent that looks
 * stale is believed gone only once this holder has been in contact with the gateway for the
 * stale threshold. Before that its task keeps running in the holder's books (not LOST, not
 * killed, not replaced); after it, the task is reported LOST, killed and replaced.
 */
import { afterEach, describe, expect, it } from "vitest";
import { PlanReader, versionOf } from "../../../agent/daemon/desired-plan.js";
import { ulidFactory } from "../../../agent/daemon/ids.js";
import { JobSightings } from "../../../agent/daemon/job-sightings.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import { Scheduling } from "../../../agent/daemon/scheduling.js";
import { serviceTaskSpec } from "../../../agent/daemon/task-spec.js";
import { ManualTimers } from "../../../agent/health/timers.js";
import { evaluateJobs } from "../../../agent/jobs/engine.js";
import type { AssignmentsRequest, DesiredState, Observed } from "../../../gateway/contract/agent.js";
import { AppSchema } from "../../../universe/models/app.js";
import { waitFor } from "../../helpers/agent.js";
import { taskUpdates, tempStore } from "./support.js";

const STALE_MS = 30_000;
const START = 1_800_000_000_000;
const INVENTORY = { resources: { cpus: 4, mem: 4096, disk: 1000, ports: [[31000, 31100]] }, attributes: {} };
const web = AppSchema.parse({ id: "/web", cmd: "serve", instances: 2, cpus: 1, mem: 128 });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function setup(contactSince: number) {
  const timers = new ManualTimers(START);
  const { store, remove } = await tempStore();
  const spec = (taskId: string, agentId: string) => ({
    taskId,
    agentId,
    spec: serviceTaskSpec(web, versionOf(web), "ins_web", {
      ports: [],
      resources: { cpus: 1, mem: 128, disk: 0, gpus: 0 },
      now: START - 60_000,
    }) as unknown as Record<string, unknown>,
    kill: false,
    epoch: 3,
  });
  const doc: DesiredState = {
    revision: 9,
    clusterId: "cl",
    agentId: "a1",
    generatedAt: START,
    installs: [
      {
        installId: "ins_web",
        appId: "/web",
        packageName: "web",
        packageVersion: "1.0.0",
        revision: 1,
        plan: { apps: [web] },
      },
    ],
    lease: { holder: true, epoch: 3, expiresAt: START + 15_000 },
    agents: [
      { agentId: "a1", hostname: "one", inventory: INVENTORY, lastSeenAt: START, state: "healthy" },
      { agentId: "a2", hostname: "two", inventory: INVENTORY, lastSeenAt: START - 40_000, state: "stale" },
    ],
    assignments: [spec("web.1", "a1"), spec("web.2", "a2")],
  };
  const row = (taskId: string, agentId: string) => ({
    taskId,
    appId: "/web",
    agentId,
    state: "RUNNING",
    healthy: null,
    ports: [],
    version: versionOf(web),
    message: null,
    reportedAt: START - 30_000,
  });
  const posted: AssignmentsRequest[] = [];
  const accepted: { taskIds: string[]; revision: number }[] = [];
  const observed = (): Observed => ({
    tasks: [row("web.1", "a1"), row("web.2", "a2")],
    jobRuns: [],
    agents: [
      { agentId: "a1", hostname: "one", lastSeenAt: timers.now(), state: "healthy" },
      { agentId: "a2", hostname: "two", lastSeenAt: START - 40_000, state: "stale" },
    ],
  });
  const scheduling = new Scheduling({
    client: {
      observed: async () => observed(),
      assignments: async (body) => {
        posted.push(body);
        return {
          revision: 10,
          launched: body.launch.map((l) => l.taskId),
          killed: body.kill,
          forgotten: [],
          ignored: [],
        };
      },
    },
    store,
    lease: { isHolder: () => true, epoch: 3, lost: () => {} },
    contact: { uninterruptedMs: () => Math.max(0, timers.now() - contactSince) },
    agentStaleMs: STALE_MS,
    desired: () => doc,
    sightings: new JobSightings(store),
    evaluateJobs,
    timers,
    logger: silentLogger,
    newId: ulidFactory(() => timers.now()),
    onQueued: () => {},
    onAccepted: (launches, revision) => accepted.push({ taskIds: launches.map((l) => l.taskId), revision }),
    onUnauthorized: () => {},
  });
  cleanups.push(async () => {
    await scheduling.stop();
    await remove();
  });
  /** Moves the clock, then waits (in real time: the store does real I/O) for a cycle to complete. */
  const cycleAfter = async (ms: number) => {
    const before = scheduling.completedCycles;
    await timers.advance(ms);
    scheduling.kick();
    await waitFor("a scheduling cycle", async () => {
      await timers.advance(0);
      return scheduling.completedCycles > before;
    });
  };
  scheduling.start();
  new PlanReader(silentLogger).read(doc); // the plan is valid (a typo here would make the test vacuous)
  return { scheduling, posted, accepted, store, cycleAfter };
}

describe("the holder's scheduling cycle", () => {
  it("keeps a stale agent's task until this holder has been in contact for the stale threshold, then replaces it", async () => {
    const s = await setup(START - 2_000); // back in contact 2 s ago (e.g. after a gateway outage)
    await s.cycleAfter(0);
    await s.cycleAfter(20_000);
    expect(s.posted.flatMap((p) => [...p.kill, ...p.launch.map((l) => l.taskId)])).toEqual([]);
    expect((await taskUpdates(s.store)).filter((u) => u.state === "LOST")).toEqual([]);

    await s.cycleAfter(8_000); // 30 s of contact
    const kills = s.posted.flatMap((p) => p.kill);
    const launches = s.posted.flatMap((p) => p.launch);
    expect(kills).toEqual(["web.2"]);
    expect(launches.map((l) => l.agentId)).toEqual(["a1"]);
    expect((await taskUpdates(s.store)).map((u) => `${u.taskId}:${u.state}`)).toEqual(["web.2:LOST"]);
    // The replacement was handed to this agent's executor as soon as the gateway accepted it.
    expect(s.accepted).toEqual([{ taskIds: [launches[0]!.taskId], revision: 10 }]);
  });

  it("replaces a stale agent's task at once when this holder's contact is already long enough", async () => {
    const s = await setup(START - STALE_MS);
    await s.cycleAfter(0);
    expect(s.posted.flatMap((p) => p.kill)).toEqual(["web.2"]);
    expect((await taskUpdates(s.store)).map((u) => `${u.taskId}:${u.state}`)).toEqual(["web.2:LOST"]);
  });
});

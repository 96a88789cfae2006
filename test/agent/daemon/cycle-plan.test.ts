/**
 * The lease holder's planning, pure: what every agent reported plus the holder's own recent
 * decisions become the scheduler's view; tasks of an agent that went quiet are LOST, killed
 * and replaced on a healthy node — once the holder trusts the gateway's verdicts, and not
 * before (right after an outage every agent looks quiet); a launch not yet reported is never
 * launched twice; ended
 * tasks are forgotten, except job attempts of a run still going; job attempts carry the
 * engine's task ids.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planCycle } from "../../../agent/daemon/cycle-plan.js";
import { PlanReader, versionOf } from "../../../agent/daemon/desired-plan.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import { clusterTasks, type PendingDecisions } from "../../../agent/daemon/observed-tasks.js";
import { serviceTaskSpec, type TaskSpec } from "../../../agent/daemon/task-spec.js";
import type { RunRecord } from "../../../agent/jobs/types.js";
import { createRng } from "../../../agent/scheduler/rng.js";
import type { DesiredState, Observed } from "../../../gateway/contract/agent.js";
import { AppSchema } from "../../../universe/models/app.js";
import { JobSchema } from "../../../universe/models/job.js";

const NOW = 1_800_000_000_000;
const INVENTORY = { resources: { cpus: 4, mem: 4096, disk: 1000, ports: [[31000, 31100]] }, attributes: {} };
const web = AppSchema.parse({
  id: "/web",
  cmd: "serve",
  instances: 2,
  cpus: 1,
  mem: 128,
  portDefinitions: [{ port: 0, name: "http" }],
});
const nightly = JobSchema.parse({ id: "etl.extract", run: { cmd: "extract", cpus: 0.5, mem: 64 } });

function spec(agentPort: number): TaskSpec {
  return serviceTaskSpec(web, versionOf(web), "ins_web", {
    ports: [agentPort],
    resources: { cpus: 1, mem: 128, disk: 0, gpus: 0 },
    now: NOW - 60_000,
  });
}

function doc(assignments: DesiredState["assignments"]): DesiredState {
  return {
    revision: 10,
    clusterId: "cl",
    agentId: "a1",
    generatedAt: NOW,
    installs: [
      {
        installId: "ins_web",
        appId: "/web",
        packageName: "web",
        packageVersion: "1.0.0",
        revision: 1,
        plan: { apps: [web], jobs: [nightly] },
      },
    ],
    lease: { holder: true, epoch: 3, expiresAt: NOW + 10_000 },
    agents: [
      { agentId: "a1", hostname: "one", inventory: INVENTORY, lastSeenAt: NOW, state: "healthy" },
      { agentId: "a2", hostname: "two", inventory: INVENTORY, lastSeenAt: NOW - 200_000, state: "lost" },
    ],
    assignments,
  };
}

const assignment = (taskId: string, agentId: string, s: TaskSpec, kill = false) => ({
  taskId,
  agentId,
  spec: s as unknown as Record<string, unknown>,
  kill,
  epoch: 3,
});

const row = (
  taskId: string,
  agentId: string,
  state: string,
  extra: Partial<Observed["tasks"][number]> = {},
) => ({
  taskId,
  appId: "/web",
  agentId,
  state,
  healthy: state === "RUNNING" ? true : null,
  ports: [],
  version: versionOf(web),
  message: null,
  reportedAt: NOW - 1_000,
  ...extra,
});

const liveness = (a2: "healthy" | "stale" | "lost"): Observed["agents"] => [
  { agentId: "a1", hostname: "one", lastSeenAt: NOW, state: "healthy" },
  { agentId: "a2", hostname: "two", lastSeenAt: NOW - 200_000, state: a2 },
];

const noPending = (): PendingDecisions => ({ launches: new Map(), kills: new Map() });

function plan(
  d: DesiredState,
  observed: Observed,
  options: {
    pending?: PendingDecisions;
    runs?: RunRecord[];
    jobs?: Parameters<typeof planCycle>[0]["jobs"];
    livenessTrusted?: boolean;
  } = {},
) {
  const desiredPlan = new PlanReader(silentLogger).read(d);
  const pending = options.pending ?? noPending();
  const cluster = clusterTasks(d, observed, pending, new Set(desiredPlan.apps.map((a) => a.app.id)), {
    livenessTrusted: options.livenessTrusted ?? true,
  });
  const runs = new Map((options.runs ?? []).map((r) => [r.runId, r]));
  return {
    cluster,
    ...planCycle({
      doc: d,
      observed,
      plan: desiredPlan,
      cluster,
      jobs: options.jobs ?? { launch: [], kill: [] },
      runOf: (id) => runs.get(id),
      memory: undefined,
      pendingKills: new Set(pending.kills.keys()),
      now: NOW,
      rng: createRng(7),
      epoch: 3,
    }),
  };
}

describe("the holder's cycle plan", () => {
  it("reports a lost agent's task LOST, kills it, and replaces it on a healthy node", () => {
    const d = doc([assignment("web.1", "a1", spec(31000)), assignment("web.2", "a2", spec(31000))]);
    const p = plan(d, {
      tasks: [row("web.1", "a1", "RUNNING"), row("web.2", "a2", "RUNNING")],
      jobRuns: [],
      agents: liveness("lost"),
    });
    expect(p.cluster.lost.map((l) => [l.taskId, l.message])).toEqual([
      ["web.2", "its agent two is lost: replaced elsewhere"],
    ]);
    expect(p.request.kill).toEqual(["web.2"]);
    expect(p.request.launch).toHaveLength(1);
    expect(p.request.launch[0]).toMatchObject({
      agentId: "a1",
      spec: { kind: "service", appId: "/web", installId: "ins_web" },
    });
    expect((p.request.launch[0]!.spec as TaskSpec).ports[0]).toMatchObject({ name: "http" });
    expect((p.request.launch[0]!.spec as TaskSpec).ports[0]!.port).not.toBe(31000); // web.1 holds 31000 there
    expect(p.request.epoch).toBe(3);
  });

  it("keeps a stale agent's tasks as reported and places nothing on its node while the verdict is not trusted", () => {
    const d = doc([assignment("web.2", "a2", spec(31000))]);
    const observed = { tasks: [row("web.2", "a2", "RUNNING")], jobRuns: [], agents: liveness("stale") };
    const early = plan(d, observed, { livenessTrusted: false });
    expect(early.cluster.lost).toEqual([]);
    expect(early.cluster.unconfirmed).toEqual(new Set(["a2"]));
    expect(early.cluster.tasks.map((t) => [t.id, t.state])).toEqual([["web.2", "RUNNING"]]);
    expect(early.request.kill).toEqual([]);
    // web.2 still counts: one more instance is needed, and only the healthy node takes it.
    expect(early.request.launch.map((l) => l.agentId)).toEqual(["a1"]);

    const trusted = plan(d, observed, { livenessTrusted: true });
    expect(trusted.cluster.lost.map((l) => [l.taskId, l.message])).toEqual([
      ["web.2", "its agent two is stale: replaced elsewhere"],
    ]);
    expect(trusted.cluster.unconfirmed).toEqual(new Set());
    expect(trusted.request.kill).toEqual(["web.2"]);
    expect(trusted.request.launch.map((l) => l.agentId)).toEqual(["a1", "a1"]);
  });

  it("reports a deleted agent's task LOST at once: that is no verdict on liveness", () => {
    const d = doc([assignment("web.1", "a1", spec(31000)), assignment("web.9", "a9", spec(31000))]);
    const p = plan(
      d,
      {
        tasks: [row("web.1", "a1", "RUNNING"), row("web.9", "a9", "RUNNING")],
        jobRuns: [],
        agents: liveness("healthy"),
      },
      { livenessTrusted: false },
    );
    expect(p.cluster.lost.map((l) => [l.taskId, l.message])).toEqual([
      ["web.9", "its agent a9 is gone: replaced elsewhere"],
    ]);
    expect(p.request.kill).toEqual(["web.9"]);
  });

  it("never reports a task of an existing agent LOST unless the verdicts are trusted, and then every active one of a quiet agent", () => {
    const states = ["STAGING", "RUNNING", "KILLING", "FAILED", "KILLED"] as const;
    fc.assert(
      fc.property(
        fc.constantFrom("healthy" as const, "stale" as const, "lost" as const),
        fc.array(fc.record({ onA2: fc.boolean(), state: fc.constantFrom(...states) }), { maxLength: 6 }),
        fc.boolean(),
        (a2, tasks, livenessTrusted) => {
          const ids = tasks.map((_, i) => `web.${i}`);
          const d = doc(tasks.map((t, i) => assignment(ids[i]!, t.onA2 ? "a2" : "a1", spec(31000 + i))));
          const observed = {
            tasks: tasks.map((t, i) => row(ids[i]!, t.onA2 ? "a2" : "a1", t.state)),
            jobRuns: [],
            agents: liveness(a2),
          };
          const cluster = clusterTasks(d, observed, noPending(), new Set(["/web"]), { livenessTrusted });
          const quiet = tasks
            .map((t, i) => ({ ...t, id: ids[i]! }))
            .filter((t) => t.onA2 && a2 !== "healthy" && !["FAILED", "KILLED"].includes(t.state));
          expect(cluster.lost.map((l) => l.taskId)).toEqual(livenessTrusted ? quiet.map((t) => t.id) : []);
          expect([...cluster.unconfirmed]).toEqual(!livenessTrusted && quiet.length > 0 ? ["a2"] : []);
          for (const t of cluster.tasks)
            if (!livenessTrusted || !quiet.some((q) => q.id === t.id)) expect(t.state).not.toBe("LOST");
        },
      ),
    );
  });

  it("counts assignments not yet reported, and its own launches not yet in the desired state, as STAGING", () => {
    const d = doc([assignment("web.1", "a1", spec(31000))]);
    const healthy = { tasks: [], jobRuns: [], agents: liveness("healthy") };
    expect(plan(d, healthy).request.launch).toHaveLength(1); // one more is needed
    const pending = noPending();
    pending.launches.set("web.x", { agentId: "a2", spec: spec(31001), at: NOW - 100 });
    const p = plan(d, healthy, { pending });
    expect(p.request.launch).toEqual([]);
    expect(p.cluster.tasks.map((t) => [t.id, t.state])).toEqual([
      ["web.1", "STAGING"],
      ["web.x", "STAGING"],
    ]);
  });

  it("does not ask again for a kill already marked or just posted", () => {
    const d = doc([assignment("web.1", "a1", spec(31000), true), assignment("web.2", "a2", spec(31000))]);
    const pending = noPending();
    pending.kills.set("web.2", NOW - 50);
    const p = plan(
      d,
      {
        tasks: [row("web.1", "a1", "RUNNING"), row("web.2", "a2", "RUNNING")],
        jobRuns: [],
        agents: liveness("healthy"),
      },
      { pending },
    );
    expect(p.request.kill).toEqual([]);
    expect(p.cluster.tasks.map((t) => t.state)).toEqual(["KILLING", "KILLING"]);
  });

  it("forgets ended tasks, but keeps a job attempt assigned while its run goes on", () => {
    const attempt = {
      ...spec(31000),
      kind: "job" as const,
      appId: undefined,
      jobId: "etl.extract",
      runId: "etl.extract.req-1",
      ports: [],
    };
    const d = doc([
      assignment("web.1", "a1", spec(31000)),
      assignment("web.old", "a1", spec(31001)),
      assignment("etl.extract.req-1.1", "a1", attempt),
    ]);
    const observed = {
      tasks: [
        row("web.1", "a1", "RUNNING"),
        row("web.old", "a1", "KILLED"),
        row("etl.extract.req-1.1", "a1", "FAILED", { appId: "etl.extract", message: "exited with code 1" }),
      ],
      jobRuns: [],
      agents: liveness("healthy"),
    };
    const run: RunRecord = {
      runId: "etl.extract.req-1",
      jobId: "etl.extract",
      state: "ACTIVE",
      trigger: "request:1",
      createdAt: NOW - 5_000,
      attempts: [],
    };
    expect(plan(d, observed, { runs: [run] }).request.forget).toEqual(["web.old"]);
    expect(plan(d, observed, { runs: [{ ...run, state: "FAILED" }] }).request.forget.sort()).toEqual([
      "etl.extract.req-1.1",
      "web.old",
    ]);
  });

  it("places a job attempt under the task id the jobs engine chose", () => {
    const d = doc([assignment("web.1", "a1", spec(31000)), assignment("web.2", "a1", spec(31001))]);
    const run: RunRecord = {
      runId: "etl.extract.req-9",
      jobId: "etl.extract",
      state: "INITIAL",
      trigger: "request:9",
      createdAt: NOW,
      attempts: [],
    };
    const p = plan(
      d,
      {
        tasks: [row("web.1", "a1", "RUNNING"), row("web.2", "a1", "RUNNING")],
        jobRuns: [],
        agents: liveness("healthy"),
      },
      {
        runs: [run],
        jobs: {
          launch: [{ runId: run.runId, jobId: "etl.extract", taskId: "etl.extract.req-9.1", job: nightly }],
          kill: [],
        },
      },
    );
    expect(p.request.launch).toEqual([
      expect.objectContaining({
        taskId: "etl.extract.req-9.1",
        agentId: "a1",
        spec: expect.objectContaining({
          kind: "job",
          jobId: "etl.extract",
          runId: run.runId,
          cmd: "extract",
        }),
      }),
    ]);
    expect(p.attempts).toEqual([{ runId: run.runId, taskId: "etl.extract.req-9.1" }]);
  });

  it("scales instead of rolling when only the instances option changed", () => {
    const labelled = (instances: number) =>
      AppSchema.parse({
        ...web,
        instances,
        labels: { DCOS_PACKAGE_OPTIONS: Buffer.from(JSON.stringify({ instances })).toString("base64") },
      });
    expect(versionOf(labelled(2))).toBe(versionOf(labelled(3)));
    expect(versionOf(labelled(2))).not.toBe(versionOf(AppSchema.parse({ ...web, cmd: "serve --v2" })));
  });
});

/**
 * Status ingest: batches acknowledged by id and stored once, late updates ignored, strict
 * validation with a size cap, and inventory that moves the revision only when what the
 * scheduler may place changes. Runs on Node and in workerd.
 */

import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { RegisterResponse } from "../../../gateway/contract/agent.js";
import { MAX_STATUS_UPDATES } from "../../../gateway/contract/agent.js";
import { RUN_REQUEST_TTL_MS } from "../../../gateway/contract/operations.js";
import { jobRuns, runRequests } from "../../../gateway/db/schema.js";
import {
  ENDED_TASKS_PER_APP,
  RUNS_PER_JOB,
  TASK_HISTORY_MS,
} from "../../../gateway/services/agents/history-prune.js";
import type { Harness } from "../harness.js";
import {
  agentsOf,
  assign,
  INVENTORY,
  lease,
  newAgent,
  newCluster,
  poll,
  revisionOf,
  sendStatus,
} from "./agent-fixtures.suite.js";

interface ReportedTask {
  taskId: string;
  state: string;
  healthy: boolean | null;
  ports: number[];
  version: string | null;
  reportedAt: string;
  updatedAt: string;
}

const task = (
  id: string,
  taskId: string,
  state: string,
  at: number,
  extra: Record<string, unknown> = {},
) => ({
  id,
  kind: "task",
  taskId,
  appId: "/web",
  state,
  ports: [31005],
  at,
  ...extra,
});

async function tasksOf(h: Harness, agent: RegisterResponse): Promise<ReportedTask[]> {
  const path = `/v1/clusters/${agent.clusterId}/agents/${agent.agentId}/tasks`;
  return (await h.json<{ tasks: ReportedTask[] }>(path)).tasks;
}

async function ack(h: Harness, agent: RegisterResponse, body: unknown) {
  const res = await sendStatus(h, agent, body);
  expect(res.status).toBe(200);
  return (await res.json()) as { acknowledged: string[]; duplicates: string[] };
}

export function agentStatusSuite(make: () => Promise<Harness>): void {
  describe("agent API: status", () => {
    it("stores a batch once and acknowledges a resend without changing anything", async () => {
      const h = await make();
      const agent = await newAgent(h, await newCluster(h));
      const batch = {
        updates: [
          task("u1", "web.1", "RUNNING", 1_000, { healthy: true, version: "v1" }),
          {
            id: "u2",
            kind: "job-run",
            runId: "r1",
            jobId: "backup",
            state: "ACTIVE",
            startedAt: 900,
            at: 1_000,
          },
          { id: "u3", kind: "deployment", appId: "/web", waitingReason: "waiting for offers", at: 1_000 },
        ],
      };
      expect(await ack(h, agent, batch)).toEqual({ acknowledged: ["u1", "u2", "u3"], duplicates: [] });
      const stored = await tasksOf(h, agent);
      expect(stored).toEqual([
        expect.objectContaining({
          taskId: "web.1",
          state: "RUNNING",
          healthy: true,
          ports: [31005],
          version: "v1",
        }),
      ]);

      h.clock.advance(60_000);
      expect(await ack(h, agent, batch)).toEqual({
        acknowledged: ["u1", "u2", "u3"],
        duplicates: ["u1", "u2", "u3"],
      });
      expect(await tasksOf(h, agent)).toEqual(stored); // not even updatedAt moved
    });

    it("ignores an update older than the stored state, whatever order they arrive in", async () => {
      const h = await make();
      const agent = await newAgent(h, await newCluster(h));
      await ack(h, agent, { updates: [task("a", "web.1", "RUNNING", 2_000)] });
      const late = await ack(h, agent, { updates: [task("b", "web.1", "STARTING", 1_000)] });
      expect(late.acknowledged).toEqual(["b"]);
      expect((await tasksOf(h, agent))[0]).toMatchObject({ state: "RUNNING" });

      await ack(h, agent, {
        updates: [task("c", "web.1", "FAILED", 3_000), task("d", "web.1", "KILLING", 2_500)],
      });
      expect((await tasksOf(h, agent))[0]).toMatchObject({
        state: "FAILED",
        reportedAt: new Date(3_000).toISOString(),
      });
    });

    it("accepts every task and job-run state of SCHEDULING.md", async () => {
      const h = await make();
      const agent = await newAgent(h, await newCluster(h));
      const taskStates = [
        "STAGING",
        "STARTING",
        "RUNNING",
        "KILLING",
        "FINISHED",
        "FAILED",
        "KILLED",
        "ERROR",
      ];
      const lostStates = ["LOST", "UNREACHABLE", "GONE"];
      const runStates = ["INITIAL", "STARTING", "ACTIVE", "SUCCESS", "FAILED", "NOT_RUN"];
      const updates = [
        ...[...taskStates, ...lostStates].map((s) => task(`t-${s}`, `task-${s}`, s, h.clock.now())),
        ...runStates.map((s) => ({
          id: `r-${s}`,
          kind: "job-run",
          runId: `run-${s}`,
          jobId: "j",
          state: s,
          at: 10,
        })),
      ];
      expect((await ack(h, agent, { updates })).acknowledged).toHaveLength(updates.length);
      expect((await tasksOf(h, agent)).map((t) => t.state).sort()).toEqual(
        [...taskStates, ...lostStates].sort(),
      );
    });

    it("drops ended tasks after a day or beyond the newest 50 of an app, never an active or assigned one", async () => {
      const h = await make();
      const agent = await newAgent(h, await newCluster(h));
      await lease(h, agent);
      const now = h.clock.now();
      const dayAgo = now - TASK_HISTORY_MS - 1;
      // Assigned (its spec still in the desired state): kept however old its row is.
      const spec = { kind: "service", appId: "/web", version: "v1", cmd: "sleep 1" };
      const assigned = await assign(h, agent, {
        epoch: 1,
        launch: [{ taskId: "web.assigned", agentId: agent.agentId, spec }],
      });
      expect(assigned.status).toBe(200);
      const crashes = Array.from({ length: ENDED_TASKS_PER_APP + 5 }, (_, i) =>
        task(`c${i}`, `crash.${String(i).padStart(3, "0")}`, "FAILED", now - 1_000 + i, { appId: "/crash" }),
      );
      await ack(h, agent, {
        updates: [
          task("u-old", "web.old", "FAILED", dayAgo),
          task("u-running", "web.running", "RUNNING", dayAgo),
          task("u-recent", "web.recent", "KILLED", now - 3_600_000),
          task("u-assigned", "web.assigned", "FINISHED", dayAgo),
          ...crashes,
        ],
      });
      // Pruning rides on ingest at most once a minute per gateway process.
      h.clock.advance(61_000);
      await ack(h, agent, { updates: [task("u-later", "web.later", "RUNNING", h.clock.now())] });
      const left = new Set((await tasksOf(h, agent)).map((t) => t.taskId));
      expect(left.has("web.old")).toBe(false);
      for (const kept of ["web.running", "web.recent", "web.assigned", "web.later"])
        expect(left).toContain(kept);
      const crashLeft = [...left].filter((id) => id.startsWith("crash.")).sort();
      expect(crashLeft).toHaveLength(ENDED_TASKS_PER_APP);
      expect(crashLeft[0]).toBe("crash.005"); // the oldest five went
    });

    it("keeps the newest 100 finished runs of a job and drops expired run requests nobody answered", async () => {
      const h = await make();
      const db = h.db;
      if (!db) throw new Error("this suite needs the harness's database seam");
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      const now = h.clock.now();
      const run = (i: number, state: string, jobId = "nightly") => ({
        id: `r${jobId}${i}`,
        kind: "job-run",
        runId: `${jobId}.run-${String(i).padStart(3, "0")}`,
        jobId,
        state,
        startedAt: now - 500_000 + i * 1_000,
        ...(state !== "ACTIVE" && { finishedAt: now - 499_000 + i * 1_000 }),
        at: now - 499_000 + i * 1_000,
      });
      await ack(h, agent, {
        updates: [
          run(0, "ACTIVE"), // the oldest, but still under way
          ...Array.from({ length: RUNS_PER_JOB + 4 }, (_, i) => run(i + 1, "SUCCESS")),
          run(1, "FAILED", "other"),
          run(2, "SUCCESS", "answered"),
        ],
      });
      const expired = now - RUN_REQUEST_TTL_MS - 1;
      await db.insert(runRequests).values([
        {
          clusterId: cluster.id,
          requestId: "gone",
          jobId: "nightly",
          requestedAt: expired,
          requestedBy: "ops",
        },
        { clusterId: cluster.id, requestId: "fresh", jobId: "nightly", requestedAt: now, requestedBy: "ops" },
        {
          clusterId: cluster.id,
          requestId: "002",
          jobId: "answered",
          requestedAt: expired,
          requestedBy: "ops",
        },
      ]);
      await ack(h, agent, {
        updates: [{ ...run(2, "SUCCESS", "answered"), id: "x", runId: "answered.req-002" }],
      });
      h.clock.advance(61_000);
      await ack(h, agent, { updates: [task("u-later", "web.later", "RUNNING", h.clock.now())] });

      const runs = await db
        .select({ runId: jobRuns.runId, jobId: jobRuns.jobId })
        .from(jobRuns)
        .where(eq(jobRuns.clusterId, cluster.id));
      const nightly = runs
        .filter((r) => r.jobId === "nightly")
        .map((r) => r.runId)
        .sort();
      expect(nightly).toHaveLength(RUNS_PER_JOB + 1);
      expect(nightly.slice(0, 2)).toEqual(["nightly.run-000", "nightly.run-005"]); // active kept; 1–4 went
      expect(runs.filter((r) => r.jobId !== "nightly")).toHaveLength(3);
      const requests = await db
        .select({ requestId: runRequests.requestId })
        .from(runRequests)
        .where(eq(runRequests.clusterId, cluster.id));
      expect(requests.map((r) => r.requestId).sort()).toEqual(["002", "fresh"]);
    });

    it("refuses invalid states, unknown fields and oversized batches with 400, storing nothing", async () => {
      const h = await make();
      const agent = await newAgent(h, await newCluster(h));
      const good = task("ok", "web.1", "RUNNING", 1);
      const bad = async (body: unknown, pattern: RegExp) => {
        const res = await sendStatus(h, agent, body);
        expect(res.status).toBe(400);
        expect(((await res.json()) as { detail: string }).detail).toMatch(pattern);
      };
      await bad({ updates: [good, task("x", "web.2", "SLEEPING", 1)] }, /\/updates\/1\/state/);
      await bad({ updates: [good, { ...task("y", "web.3", "RUNNING", 1), colour: "red" }] }, /colour/);
      await bad(
        { updates: [good, { id: "z", kind: "job-run", runId: "r", jobId: "j", state: "RUNNING", at: 1 }] },
        /state/,
      );
      await bad({ updates: [{ ...good, at: -5 }] }, /\/updates\/0\/at/);
      await bad({ updates: [{ ...good, kind: "gossip" }] }, /kind/);
      const many = Array.from({ length: MAX_STATUS_UPDATES + 1 }, (_, i) =>
        task(`m${i}`, `t${i}`, "RUNNING", 1),
      );
      await bad({ updates: many }, /updates/);
      expect(await tasksOf(h, agent)).toEqual([]);
    });

    it("stores the inventory, moving the revision only when resources or attributes change", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      const start = await revisionOf(h, cluster.id);

      const busier = { ...INVENTORY, free: { ...INVENTORY.free, cpus: 1.5 } };
      await ack(h, agent, { updates: [], inventory: busier });
      expect((await agentsOf(h, cluster.id))[0]?.inventory).toMatchObject({ free: { cpus: 1.5 } });
      expect(await revisionOf(h, cluster.id)).toBe(start);
      expect((await poll(h, agent, { etag: `"${start}"` })).status).toBe(304);

      await ack(h, agent, { updates: [], inventory: { ...busier, attributes: { zone: "b" } } });
      expect(await revisionOf(h, cluster.id)).toBe(start + 1);
      expect((await poll(h, agent, { etag: `"${start}"` })).status).toBe(200);
    });
  });
}

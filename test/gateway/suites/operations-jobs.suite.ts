/**
 * Jobs on a cluster: running one now (a request the lease holder's desired state carries until a
 * run answers it), the jobs and runs views, and who may do what. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import type { DesiredState } from "../../../gateway/contract/agent.js";
import { type Harness, post, unique } from "../harness.js";
import { desiredState, lease, newAgent, sendStatus } from "./agent-fixtures.suite.js";
import {
  desiredRevisionOf,
  newCluster,
  pkg,
  seedAgent,
  seedCatalog,
  seedReported,
  seedToken,
} from "./installs-fixtures.js";

interface RunRequested {
  requestId: string;
  jobId: string;
  runId: string;
  requestedAt: string;
  requestedBy: string;
  desiredRevision: number;
}
interface RunView {
  runId: string;
  state: string;
  message: string | null;
  trigger: string | null;
  requestedBy: string | null;
  startedAt: string | null;
}
interface JobSummary {
  id: string;
  description: string | null;
  install: { appId: string; package: string; version: string };
  schedules: { id: string; cron: string; timezone: string; enabled: boolean; nextRunAt: string | null }[];
  dependencies: string[];
  dependents: string[];
  latestRuns: RunView[];
}

/** A package of three jobs, extract → transform → load, extract on a nightly schedule. */
export async function seedPipeline(h: Harness) {
  const name = unique("etl");
  const run = { cmd: "echo step", cpus: 0.1, mem: 32 };
  const jobs = {
    jobs: [
      {
        id: `${name}.extract`,
        description: "pulls the day's orders",
        run,
        schedules: [{ id: "nightly", cron: "0 3 * * *", timezone: "Europe/Berlin" }],
      },
      { id: `${name}.transform`, run, dependencies: [`${name}.extract`] },
      { id: `${name}.load`, run, dependencies: [{ id: `${name}.transform` }] },
    ],
  };
  await seedCatalog(h, [pkg({ name, version: "1.0.0", marathon: null, jobs: JSON.stringify(jobs) })]);
  const cluster = await newCluster(h);
  await h.json(`/v1/clusters/${cluster.id}/installs`, post({ package: name }), 201);
  return {
    name,
    cluster,
    extract: `${name}.extract`,
    transform: `${name}.transform`,
    load: `${name}.load`,
    jobs: `/v1/clusters/${cluster.id}/jobs`,
  };
}

const runRequests = (doc: DesiredState) => doc.runRequests ?? [];

export function operationsJobsSuite(make: () => Promise<Harness>): void {
  describe("operations: jobs", () => {
    it("runs a job on request: the desired revision moves, the lease holder's document carries the request until a run answers it", async () => {
      const h = await make();
      const p = await seedPipeline(h);
      const holder = await newAgent(h, p.cluster, "node-a");
      const other = await newAgent(h, p.cluster, "node-b");
      expect((await lease(h, holder)).holder).toBe(true);
      const operator = await seedToken(h, "operator");
      const before = await desiredRevisionOf(h, p.cluster.id);

      const asked = await h.json<RunRequested>(`${p.jobs}/${p.extract}/runs`, post({}, operator), 201);
      expect(asked.requestId).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(asked).toMatchObject({
        jobId: p.extract,
        runId: `${p.extract}.req-${asked.requestId}`,
        requestedAt: new Date(h.clock.now()).toISOString(),
        desiredRevision: before + 1,
      });
      expect(asked.requestedBy).toMatch(/^token:operator-/);
      expect(await desiredRevisionOf(h, p.cluster.id)).toBe(before + 1);

      const doc = await desiredState(h, holder);
      expect(doc.revision).toBe(before + 1);
      expect(runRequests(doc)).toEqual([
        { requestId: asked.requestId, jobId: p.extract, requestedAt: h.clock.now() },
      ]);
      expect(runRequests(await desiredState(h, other))).toEqual([]);

      // The holder reports the run; the next document (a second request moves the revision) has only the new one.
      const report = await sendStatus(h, holder, {
        updates: [
          {
            id: unique("u"),
            at: h.clock.now(),
            kind: "job-run",
            runId: asked.runId,
            jobId: p.extract,
            state: "INITIAL",
          },
        ],
      });
      expect(report.status).toBe(200);
      h.clock.advance(1_000);
      const second = await h.json<RunRequested>(`${p.jobs}/${p.load}/runs`, { method: "POST" }, 201);
      expect(runRequests(await desiredState(h, holder)).map((r) => r.requestId)).toEqual([second.requestId]);

      const audit = await h.json<{
        entries: { action: string; target: string; details: Record<string, unknown> }[];
      }>(`/v1/audit?cluster=${p.cluster.id}`);
      expect(
        audit.entries.filter((e) => e.action === "job.run").map((e) => [e.target, e.details.runId]),
      ).toEqual([
        [p.load, second.runId],
        [p.extract, asked.runId],
      ]);
    });

    it("answers 404 for a job no install on the cluster has and 400 for a malformed job id, writing nothing", async () => {
      const h = await make();
      const p = await seedPipeline(h);
      const before = await desiredRevisionOf(h, p.cluster.id);
      const unknown = await h.request(`${p.jobs}/${p.name}.nope/runs`, { method: "POST" });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { detail: string }).detail).toContain(`job ${p.name}.nope`);
      expect((await h.request(`${p.jobs}/Not_A_Job/runs`, { method: "POST" })).status).toBe(400);
      expect(
        (await h.request(`/v1/clusters/${unique("nocluster")}/jobs/${p.extract}/runs`, { method: "POST" }))
          .status,
      ).toBe(404);
      // The job exists on another cluster only.
      const elsewhere = await newCluster(h);
      expect(
        (await h.request(`/v1/clusters/${elsewhere.id}/jobs/${p.extract}/runs`, { method: "POST" })).status,
      ).toBe(404);
      expect(await desiredRevisionOf(h, p.cluster.id)).toBe(before);
      expect(
        (await h.json<{ pendingRequests: unknown[] }>(`${p.jobs}/${p.extract}`)).pendingRequests,
      ).toEqual([]);
    });

    it("lists the cluster's jobs with schedules, next tick, dependencies and latest runs, and a job's runs newest first with NOT_RUN reasons", async () => {
      const h = await make();
      const p = await seedPipeline(h);
      const agent = await seedAgent(h, p.cluster.id, "node-a");
      expect(agent).toBeTruthy();
      const t0 = h.clock.now();
      const asked = await h.json<RunRequested>(`${p.jobs}/${p.extract}/runs`, { method: "POST" }, 201);
      const failedTransform = `${p.transform}.after-${asked.runId}`;
      await seedReported(h, p.cluster.id, {
        runs: [
          {
            runId: `${p.extract}.cron-nightly-${t0 - 86_400_000}`,
            jobId: p.extract,
            state: "SUCCESS",
            startedAt: t0 - 86_400_000,
            finishedAt: t0 - 86_000_000,
          },
          {
            runId: asked.runId,
            jobId: p.extract,
            state: "SUCCESS",
            startedAt: t0 + 1_000,
            finishedAt: t0 + 60_000,
          },
          {
            runId: failedTransform,
            jobId: p.transform,
            state: "FAILED",
            message: "task exited with 2",
            startedAt: t0 + 61_000,
            finishedAt: t0 + 90_000,
          },
          {
            runId: `${p.load}.notrun-${failedTransform}`,
            jobId: p.load,
            state: "NOT_RUN",
            message: `not run: parent job ${p.transform} failed (run ${failedTransform})`,
            reportedAt: t0 + 90_000,
          },
        ],
      });

      const { jobs } = await h.json<{ jobs: JobSummary[] }>(p.jobs);
      expect(jobs.map((j) => [j.id, j.dependencies, j.dependents])).toEqual([
        [p.extract, [], [p.transform]],
        [p.load, [p.transform], []],
        [p.transform, [p.extract], [p.load]],
      ]);
      const [extract] = jobs;
      expect(extract).toMatchObject({
        description: "pulls the day's orders",
        install: { appId: `/${p.name}`, package: p.name, version: "1.0.0" },
        schedules: [
          // 03:00 in Berlin (CET, UTC+1) after 2026-11-25T12:00Z.
          {
            id: "nightly",
            cron: "0 3 * * *",
            timezone: "Europe/Berlin",
            enabled: true,
            nextRunAt: "2026-11-26T02:00:00.000Z",
          },
        ],
      });
      expect(extract!.latestRuns.map((r) => [r.runId, r.state, r.trigger, r.requestedBy])).toEqual([
        [asked.runId, "SUCCESS", "request", "token:bootstrap-admin (bootstrap)"],
        [`${p.extract}.cron-nightly-${t0 - 86_400_000}`, "SUCCESS", "schedule", null],
      ]);

      const loadRuns = await h.json<{ runs: RunView[]; pendingRequests: unknown[] }>(
        `${p.jobs}/${p.load}/runs`,
      );
      expect(loadRuns.runs).toEqual([
        expect.objectContaining({
          state: "NOT_RUN",
          trigger: "dependency",
          message: `not run: parent job ${p.transform} failed (run ${failedTransform})`,
          startedAt: null,
        }),
      ]);
      const extractRuns = await h.json<{ runs: RunView[] }>(`${p.jobs}/${p.extract}/runs?limit=1`);
      expect(extractRuns.runs.map((r) => r.runId)).toEqual([asked.runId]);
      expect((await h.request(`${p.jobs}/${p.extract}/runs?limit=0`)).status).toBe(400);

      const shown = await h.json<
        JobSummary & { definition: { run: { cmd: string } }; pendingRequests: unknown[] }
      >(`${p.jobs}/${p.transform}`);
      expect(shown.definition.run.cmd).toBe("echo step");
      expect(shown.latestRuns.map((r) => r.runId)).toEqual([failedTransform]);
      expect((await h.request(`${p.jobs}/${p.name}.nope`)).status).toBe(404);
    });

    it("shows a request no agent answered yet as pending, with the run id it will have", async () => {
      const h = await make();
      const p = await seedPipeline(h);
      const asked = await h.json<RunRequested>(`${p.jobs}/${p.transform}/runs`, { method: "POST" }, 201);
      const runs = await h.json<{ runs: RunView[]; pendingRequests: { requestId: string; runId: string }[] }>(
        `${p.jobs}/${p.transform}/runs`,
      );
      expect(runs.runs).toEqual([]);
      expect(runs.pendingRequests).toEqual([
        expect.objectContaining({
          requestId: asked.requestId,
          runId: asked.runId,
          requestedBy: "token:bootstrap-admin (bootstrap)",
        }),
      ]);
    });

    it("lets a viewer read jobs but not run one (403), and a token of another cluster neither (403), writing nothing", async () => {
      const h = await make();
      const p = await seedPipeline(h);
      const viewer = await seedToken(h, "viewer");
      const elsewhere = await seedToken(h, "operator", [unique("other-cluster")]);
      const before = await desiredRevisionOf(h, p.cluster.id);
      expect((await h.request(`${p.jobs}/${p.extract}/runs`, { method: "POST", token: viewer })).status).toBe(
        403,
      );
      expect(
        (await h.request(`${p.jobs}/${p.extract}/runs`, { method: "POST", token: elsewhere })).status,
      ).toBe(403);
      expect((await h.request(p.jobs, { token: elsewhere })).status).toBe(403);
      expect((await h.request(p.jobs, { token: null })).status).toBe(401);
      expect((await h.request(p.jobs, { token: viewer })).status).toBe(200);
      expect((await h.request(`${p.jobs}/${p.extract}/runs`, { token: viewer })).status).toBe(200);
      expect(await desiredRevisionOf(h, p.cluster.id)).toBe(before);
    });
  });
}

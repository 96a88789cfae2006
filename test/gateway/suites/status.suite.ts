/**
 * Status views of installs and clusters, built from rows agents report (seeded here the way
 * status ingest leaves them). Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { type Harness, post, unique } from "../harness.js";
import { newCluster, pkg, seedAgent, seedCatalog, seedReported } from "./installs-fixtures.js";

interface AppStatus {
  id: string;
  instances: { desired: number; staged: number; running: number; healthy: number };
  converged: boolean;
  deployment: { waitingReason: string | null } | null;
  tasks: { taskId: string; state: string; node: string | null; ports: number[]; version: string | null }[];
}
interface InstallStatus {
  appId: string;
  converged: boolean;
  apps: AppStatus[];
  jobs: {
    id: string;
    schedules: number;
    runs: { runId: string; state: string; startedAt: string | null; finishedAt: string | null }[];
  }[];
}

export function statusSuite(make: () => Promise<Harness>): void {
  describe("installs status views", () => {
    it("shows instances desired, running and healthy, tasks with node and ports, and why a deployment waits", async () => {
      const h = await make();
      const name = unique("svc");
      await seedCatalog(h, [pkg({ name, version: "1.0.0" })]);
      const cluster = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      await h.json(base, post({ package: name, options: { service: { instances: 3 } } }), 201);
      const agent = await seedAgent(h, cluster.id, "node-a");
      const waiting = "waiting for offers: no node has 2048 MB free";
      await seedReported(h, cluster.id, {
        tasks: [
          {
            taskId: `${name}.1`,
            appId: `/${name}`,
            agentId: agent,
            state: "RUNNING",
            healthy: true,
            ports: [31000],
            version: "1.0.0",
          },
          {
            taskId: `${name}.2`,
            appId: name,
            agentId: agent,
            state: "TASK_RUNNING",
            healthy: false,
            ports: [31001],
          },
          { taskId: `${name}.3`, appId: `/${name}`, agentId: "agt_unknown", state: "STAGING" },
          { taskId: "elsewhere.1", appId: "/elsewhere", agentId: agent, state: "RUNNING" },
        ],
        waiting: [{ appId: `/${name}`, reason: waiting }],
      });

      const status = await h.json<InstallStatus>(`${base}/${name}/status`);
      expect(status).toMatchObject({ appId: `/${name}`, converged: false, jobs: [] });
      const [app] = status.apps;
      expect(app).toMatchObject({
        id: `/${name}`,
        instances: { desired: 3, staged: 1, running: 2, healthy: 1 },
        converged: false,
        deployment: { waitingReason: waiting },
      });
      expect(app!.tasks.map((t) => [t.taskId, t.state, t.node, t.ports])).toEqual([
        [`${name}.1`, "RUNNING", "node-a", [31000]],
        [`${name}.2`, "TASK_RUNNING", "node-a", [31001]],
        [`${name}.3`, "STAGING", null, []],
      ]);
      expect(app!.tasks[0]!.version).toBe("1.0.0");
    });

    it("shows jobs with their runs newest first, and every install in the cluster view", async () => {
      const h = await make();
      const svc = unique("svc");
      const etl = unique("etl");
      const jobId = `${etl}.nightly`;
      await seedCatalog(h, [
        pkg({ name: svc, version: "1.0.0" }),
        pkg({
          name: etl,
          version: "1.0.0",
          marathon: null,
          jobs: `{"id": "${jobId}", "run": {"cmd": "echo hi", "cpus": 0.1, "mem": 32}, "schedules": [{"id": "nightly", "cron": "0 3 * * *"}]}`,
        }),
      ]);
      const cluster = await newCluster(h);
      const base = `/v1/clusters/${cluster.id}/installs`;
      await h.json(base, post({ package: svc }), 201);
      await h.json(base, post({ package: etl }), 201);
      const agent = await seedAgent(h, cluster.id, "node-b");
      const t0 = h.clock.now();
      await seedReported(h, cluster.id, {
        tasks: [{ taskId: `${svc}.1`, appId: `/${svc}`, agentId: agent, state: "RUNNING", healthy: true }],
        runs: [
          { runId: "r1", jobId, state: "SUCCESS", startedAt: t0 - 7_200_000, finishedAt: t0 - 7_100_000 },
          { runId: "r2", jobId, state: "ACTIVE", startedAt: t0 - 60_000 },
          { runId: "r3", jobId: "someone-else", state: "FAILED" },
        ],
      });

      const jobs = await h.json<InstallStatus>(`${base}/${etl}/status`);
      expect(jobs.apps).toEqual([]);
      expect(jobs.jobs).toEqual([
        {
          id: jobId,
          schedules: 1,
          runs: [
            {
              runId: "r2",
              state: "ACTIVE",
              message: null,
              startedAt: new Date(t0 - 60_000).toISOString(),
              finishedAt: null,
            },
            {
              runId: "r1",
              state: "SUCCESS",
              message: null,
              startedAt: new Date(t0 - 7_200_000).toISOString(),
              finishedAt: new Date(t0 - 7_100_000).toISOString(),
            },
          ],
        },
      ]);

      const all = await h.json<{ cluster: { id: string }; converged: boolean; installs: InstallStatus[] }>(
        `/v1/clusters/${cluster.name}/status`,
      );
      expect(all.cluster.id).toBe(cluster.id);
      expect(all.installs.map((i) => i.appId).sort()).toEqual([`/${etl}`, `/${svc}`].sort());
      const service = all.installs.find((i) => i.appId === `/${svc}`)!;
      expect(service.converged).toBe(true);
      expect(service.apps[0]!.instances).toEqual({ desired: 1, staged: 0, running: 1, healthy: 1 });
      expect(all.converged).toBe(true);
      expect((await h.request(`${base}/${unique("nope")}/status`)).status).toBe(404);
    });
  });
}

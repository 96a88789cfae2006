/**
 * The observed state the lease holder plans from: every agent's reported tasks (terminal ones
 * too) and job runs, and every agent's liveness moving with time. Only the live holder may
 * read it; another cluster's credential may not. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../../gateway/config.js";
import type { Observed } from "../../../gateway/contract/agent.js";
import type { Harness } from "../harness.js";
import { agentPath, lease, newAgent, newCluster, sendStatus } from "./agent-fixtures.suite.js";

const observed = (h: Harness, agent: { clusterId: string; credential: string }, cluster = agent.clusterId) =>
  h.request(agentPath(cluster, "observed"), { token: agent.credential });

export function agentObservedSuite(make: () => Promise<Harness>): void {
  describe("agent API: observed state", () => {
    it("shows the holder every agent's tasks and runs, and which agents went quiet", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const a = await newAgent(h, cluster, "node-a");
      const b = await newAgent(h, cluster, "node-b");
      const at = h.clock.now();
      const report = (agent: typeof a, updates: unknown[]) =>
        sendStatus(h, agent, { updates }).then((r) => expect(r.status).toBe(200));
      await report(a, [
        {
          id: "a1",
          kind: "task",
          taskId: "web.1",
          appId: "/web",
          state: "RUNNING",
          healthy: true,
          ports: [31001],
          version: "v1",
          at,
        },
      ]);
      await report(b, [
        {
          id: "b1",
          kind: "task",
          taskId: "web.2",
          appId: "/web",
          state: "FAILED",
          message: "exited with code 1",
          at,
        },
        {
          id: "b2",
          kind: "job-run",
          runId: "r1",
          jobId: "etl.extract",
          state: "SUCCESS",
          startedAt: at - 5,
          finishedAt: at,
          at,
        },
      ]);
      expect((await lease(h, a)).holder).toBe(true);

      const res = await observed(h, a);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Observed;
      expect(body.tasks).toEqual([
        {
          taskId: "web.1",
          appId: "/web",
          agentId: a.agentId,
          state: "RUNNING",
          healthy: true,
          ports: [31001],
          version: "v1",
          message: null,
          reportedAt: at,
        },
        {
          taskId: "web.2",
          appId: "/web",
          agentId: b.agentId,
          state: "FAILED",
          healthy: null,
          ports: [],
          version: null,
          message: "exited with code 1",
          reportedAt: at,
        },
      ]);
      expect(body.jobRuns).toEqual([
        {
          runId: "r1",
          jobId: "etl.extract",
          state: "SUCCESS",
          message: null,
          startedAt: at - 5,
          finishedAt: at,
          reportedAt: at,
        },
      ]);
      expect(body.agents.map((x) => [x.hostname, x.state])).toEqual([
        ["node-a", "healthy"],
        ["node-b", "healthy"],
      ]);

      // node-b says nothing while node-a keeps its lease: b turns stale, then lost.
      h.clock.advance(DEFAULT_CONFIG.agentStaleMs + 1);
      await lease(h, a);
      const later = (await (await observed(h, a)).json()) as Observed;
      expect(later.agents.map((x) => [x.hostname, x.state])).toEqual([
        ["node-a", "healthy"],
        ["node-b", "stale"],
      ]);
    });

    it("refuses an agent that does not hold the lease, and a credential of another cluster", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const a = await newAgent(h, cluster);
      const b = await newAgent(h, cluster);
      const stranger = await newAgent(h, await newCluster(h));
      const before = await observed(h, a);
      expect(before.status).toBe(409);
      expect(await before.json()).toMatchObject({ code: "CONFLICT", reason: "NOT_LEASE_HOLDER" });
      await lease(h, a);
      expect((await observed(h, b)).status).toBe(409);
      expect((await observed(h, stranger, cluster.id)).status).toBe(403);
      h.clock.advance(DEFAULT_CONFIG.leaseMs + 1);
      expect((await observed(h, a)).status).toBe(409); // an expired lease is no lease
    });
  });
}

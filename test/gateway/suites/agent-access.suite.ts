/**
 * Who may call the agent API: only an agent credential of the cluster in the path. A
 * credential of cluster A gets 403 on every route of cluster B with nothing leaked or
 * written; user tokens get 403 on agent routes and agent credentials 403 on user routes; a
 * deleted agent's credential stops working at once. Runs on Node and in workerd.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { statusReceipts, tasks } from "../../../gateway/db/schema.js";
import { ADMIN_TOKEN, type Harness, post } from "../harness.js";
import {
  agentPath,
  agentsOf,
  desiredState,
  lease,
  newAgent,
  newCluster,
  poll,
  revisionOf,
} from "./agent-fixtures.suite.js";

const taskUpdate = (id: string) => ({
  id,
  kind: "task",
  taskId: `task-${id}`,
  appId: "/web",
  state: "RUNNING",
  ports: [31001],
  at: 1_000,
});

export function agentAccessSuite(make: () => Promise<Harness>): void {
  describe("agent API: access", () => {
    it("refuses a credential of cluster A on cluster B's routes with 403, leaking and writing nothing", async () => {
      const h = await make();
      const [a, b] = [await newCluster(h, "a"), await newCluster(h, "b")];
      const agentA = await newAgent(h, a);
      const agentB = await newAgent(h, b);
      const before = await revisionOf(h, b.id);

      const read = await poll(h, agentA, { cluster: b.id });
      expect(read.status).toBe(403);
      const readText = await read.text();
      expect(readText).not.toContain(b.name);
      expect(readText).not.toContain(agentB.agentId);
      const writes = [
        await h.request(agentPath(b.id, "status"), post({ updates: [taskUpdate("u1")] }, agentA.credential)),
        await h.request(agentPath(b.id, "lease"), post({}, agentA.credential)),
        await h.request(
          agentPath(b.id, "assignments"),
          post({ epoch: 1, launch: [{ taskId: "t", agentId: agentB.agentId, spec: {} }] }, agentA.credential),
        ),
      ];
      expect(writes.map((r) => r.status)).toEqual([403, 403, 403]);

      expect(await revisionOf(h, b.id)).toBe(before);
      expect((await lease(h, agentB)).epoch).toBe(1); // the lease was free: A did not take it
      if (h.db) {
        expect(await h.db.select().from(tasks).where(eq(tasks.clusterId, b.id))).toEqual([]);
        expect(
          await h.db.select().from(statusReceipts).where(eq(statusReceipts.agentId, agentA.agentId)),
        ).toEqual([]);
      }
    });

    it("refuses user tokens on the agent API and agent credentials on the operator API with 403", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      expect((await poll(h, { clusterId: cluster.id, credential: ADMIN_TOKEN })).status).toBe(403);
      expect((await h.request(agentPath(cluster.id, "lease"), post({}))).status).toBe(403);
      expect((await h.request("/v1/clusters", { token: agent.credential })).status).toBe(403);
      expect((await h.request(`/v1/clusters/${cluster.id}/agents`, { token: agent.credential })).status).toBe(
        403,
      );
      expect((await h.request("/v1/tokens", { token: agent.credential })).status).toBe(403);
      expect((await poll(h, { clusterId: cluster.id, credential: "" })).status).toBe(401);
      expect((await h.request(agentPath(cluster.id, "status"), post({ updates: [] }, null))).status).toBe(
        401,
      );
    });

    it("ends a deleted agent's credential at once and takes it out of the lease", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      expect((await lease(h, agent)).holder).toBe(true);
      await desiredState(h, agent); // the principal is now cached on Node
      const viewer = await h.json<{ token: string }>("/v1/tokens", post({ name: "v", role: "viewer" }), 201);
      const path = `/v1/clusters/${cluster.id}/agents/${agent.agentId}`;
      expect((await h.request(path, { method: "DELETE", token: viewer.token })).status).toBe(403);
      const before = await revisionOf(h, cluster.id);

      expect((await h.request(path, { method: "DELETE" })).status).toBe(204);
      expect((await poll(h, agent)).status).toBe(401);
      expect(
        (await h.request(agentPath(cluster.id, "status"), post({ updates: [] }, agent.credential))).status,
      ).toBe(401);
      expect(await agentsOf(h, cluster.id)).toEqual([]);
      expect((await h.request(path)).status).toBe(404);
      expect(await revisionOf(h, cluster.id)).toBeGreaterThan(before);
      // The lease is free again: the next agent takes it with a new epoch.
      const next = await newAgent(h, cluster);
      expect(await lease(h, next)).toMatchObject({ holder: true, epoch: 2 });
    });
  });
}

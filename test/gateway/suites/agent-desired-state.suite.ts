/**
 * The desired-state poll: conditional answers (ETag / If-None-Match / ?since), revisions that
 * move with assignments, long-polls (held and woken on Node, answered at once on Workers),
 * and heartbeats written at a coarser cadence than polls. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../../gateway/config.js";
import { installRevisions, installs } from "../../../gateway/db/schema.js";
import { type Harness, unique } from "../harness.js";
import {
  agentsOf,
  assign,
  desiredState,
  lease,
  newAgent,
  newCluster,
  poll,
  revisionOf,
} from "./agent-fixtures.suite.js";

export function agentDesiredStateSuite(make: () => Promise<Harness>): void {
  describe("agent API: desired state", () => {
    it("answers 304 to If-None-Match or ?since with the current revision, and 200 otherwise", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      const doc = await desiredState(h, agent);
      expect(doc).toMatchObject({
        clusterId: cluster.id,
        agentId: agent.agentId,
        installs: [],
        assignments: [],
      });
      expect(doc.revision).toBe(await revisionOf(h, cluster.id));

      const unchanged = await poll(h, agent, { etag: `"${doc.revision}"` });
      expect(unchanged.status).toBe(304);
      expect(unchanged.headers.get("etag")).toBe(`"${doc.revision}"`);
      expect(await unchanged.text()).toBe("");
      expect((await poll(h, agent, { etag: `W/"${doc.revision}"` })).status).toBe(304);
      expect((await poll(h, agent, { query: `since=${doc.revision}` })).status).toBe(304);
      expect((await poll(h, agent, { query: `since=${doc.revision - 1}` })).status).toBe(200);
      expect((await poll(h, agent, { etag: `"${doc.revision - 1}"` })).status).toBe(200);
      expect((await poll(h, agent, { query: "wait=31" })).status).toBe(400);
    });

    it("carries each install's plan at its current install revision", async () => {
      const h = await make();
      const db = h.db;
      if (!db) throw new Error("the harness must expose its database to seed installs");
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      const before = await desiredState(h, agent);
      // Seeded as the installs service writes them: two revisions, the second in force.
      const now = h.clock.now();
      const installId = unique("inst");
      const revision = (n: number, version: string) => ({
        installId,
        revision: n,
        packageVersion: version,
        releaseVersion: n,
        packageRevisionId: "pkg",
        userOptions: {},
        resolvedOptions: {},
        plan: { apps: [{ id: `/web-${version}` }] },
        reason: "install" as const,
        createdAt: now,
        createdBy: "test",
      });
      await db.batch([
        db.insert(installs).values({
          id: installId,
          clusterId: cluster.id,
          appId: "/web",
          packageName: "web",
          currentRevision: 2,
          createdAt: now,
          updatedAt: now,
        }),
        db.insert(installRevisions).values(revision(1, "1.0.0")),
        db.insert(installRevisions).values(revision(2, "2.0.0")),
      ]);
      // The seed bypassed the services, which announce every bump to waiting polls (Node):
      // let a registration move the revision the way every change does.
      await newAgent(h, cluster);
      const res = await poll(h, agent, { query: `since=${before.revision}` });
      expect(res.status).toBe(200);
      expect(((await res.json()) as typeof before).installs).toEqual([
        {
          installId,
          appId: "/web",
          packageName: "web",
          packageVersion: "2.0.0",
          revision: 2,
          plan: { apps: [{ id: "/web-2.0.0" }] },
        },
      ]);
    });

    it("moves the revision when the lease holder assigns tasks; each agent sees only its own", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const holder = await newAgent(h, cluster, "node-a");
      const other = await newAgent(h, cluster, "node-b");
      const { epoch } = await lease(h, holder);
      const before = await desiredState(h, other);
      const holderDoc = await desiredState(h, holder);
      expect(holderDoc.lease).toMatchObject({ holder: true, epoch });
      expect(holderDoc.agents.map((a) => a.hostname)).toEqual(["node-a", "node-b"]);
      expect(holderDoc.agents[1]?.inventory).toMatchObject({ attributes: { zone: "a" } });

      const res = await assign(h, holder, {
        epoch,
        launch: [
          { taskId: "web.1", agentId: other.agentId, spec: { cmd: "serve", cpus: 1 } },
          { taskId: "web.2", agentId: holder.agentId, spec: { cmd: "serve", cpus: 1 } },
        ],
      });
      expect(res.status).toBe(200);
      const after = await poll(h, other, { etag: `"${before.revision}"` });
      expect(after.status).toBe(200);
      const otherDoc = (await after.json()) as typeof before;
      expect(otherDoc.revision).toBeGreaterThan(before.revision);
      expect(otherDoc.lease.holder).toBe(false);
      expect(otherDoc.agents).toEqual([]);
      expect(otherDoc.assignments).toEqual([
        { taskId: "web.1", agentId: other.agentId, spec: { cmd: "serve", cpus: 1 }, kill: false, epoch },
      ]);
      expect((await desiredState(h, holder)).assignments.map((a) => a.taskId)).toEqual(["web.1", "web.2"]);
    });

    it("holds a long-poll until the revision moves on Node, and answers at once on Workers", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      const { revision } = await desiredState(h, agent);
      const started = Date.now();
      const waiting = poll(h, agent, { etag: `"${revision}"`, query: "wait=5" });
      if (h.runtime === "node") {
        await new Promise((r) => setTimeout(r, 50)); // the poll is now parked on the notifier
        await newAgent(h, cluster); // a new agent moves the revision
        const res = await waiting;
        expect(res.status).toBe(200);
        expect(((await res.json()) as { revision: number }).revision).toBeGreaterThan(revision);
        expect(Date.now() - started).toBeLessThan(2_000);
      } else {
        const res = await waiting;
        expect(res.status).toBe(304);
        expect(Date.now() - started).toBeLessThan(2_000);
      }
    });

    it("answers 304 when a long-poll's wait ends with nothing changed", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      const { revision } = await desiredState(h, agent);
      const started = Date.now();
      const res = await poll(h, agent, { etag: `"${revision}"`, query: "wait=1" });
      expect(res.status).toBe(304);
      if (h.runtime === "node") expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    });

    it("writes an agent's heartbeat at most every heartbeatWriteMs, however often it polls", async () => {
      const h = await make();
      const every = DEFAULT_CONFIG.heartbeatWriteMs;
      const cluster = await newCluster(h);
      const agent = await newAgent(h, cluster);
      const lastSeen = async () => (await agentsOf(h, cluster.id))[0]?.lastSeenAt;
      const registeredAt = new Date(h.clock.now()).toISOString();
      expect(await lastSeen()).toBe(registeredAt);

      h.clock.advance(every / 2);
      await poll(h, agent);
      expect(await lastSeen()).toBe(registeredAt); // too soon: not written

      h.clock.advance(every / 2);
      const { revision } = await desiredState(h, agent);
      const beat = new Date(h.clock.now()).toISOString();
      expect(await lastSeen()).toBe(beat);

      h.clock.advance(1_000);
      expect((await poll(h, agent, { etag: `"${revision}"` })).status).toBe(304);
      expect(await lastSeen()).toBe(beat);

      h.clock.advance(every);
      expect((await poll(h, agent, { etag: `"${revision}"` })).status).toBe(304);
      expect(await lastSeen()).toBe(new Date(h.clock.now()).toISOString());
    });

    it("derives an agent's state from its heartbeat's age: healthy, then stale, then lost", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      await newAgent(h, cluster);
      const state = async () => (await agentsOf(h, cluster.id))[0]?.state;
      expect(await state()).toBe("healthy");
      h.clock.advance(DEFAULT_CONFIG.agentStaleMs + 1);
      expect(await state()).toBe("stale");
      h.clock.advance(DEFAULT_CONFIG.agentLostMs);
      expect(await state()).toBe("lost");
    });
  });
}

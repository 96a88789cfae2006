/**
 * The scheduling lease and the assignments it fences: acquire, renew, expire, take over with
 * epoch + 1, release; a race for a free lease has one winner; a deposed holder's assignments
 * are refused with 409 STALE_EPOCH and write nothing; assignments are idempotent by task id
 * and only to agents of the cluster. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG } from "../../../gateway/config.js";
import type { Lease } from "../../../gateway/contract/agent.js";
import { type Harness, post } from "../harness.js";
import {
  agentPath,
  agentsOf,
  assign,
  desiredState,
  lease,
  newAgent,
  newCluster,
  revisionOf,
} from "./agent-fixtures.suite.js";

async function refusedAsStale(res: Response) {
  expect(res.status).toBe(409);
  expect(await res.json()).toMatchObject({ code: "CONFLICT", reason: "STALE_EPOCH" });
}

export function agentLeaseSuite(make: () => Promise<Harness>): void {
  describe("agent API: scheduling lease", () => {
    it("grants a free lease, renews it, refuses it to others until it expires, then hands it over with epoch + 1", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const a = await newAgent(h, cluster, "node-a");
      const b = await newAgent(h, cluster, "node-b");

      const first = await lease(h, a);
      expect(first).toEqual({
        holder: true,
        epoch: 1,
        expiresAt: h.clock.now() + DEFAULT_CONFIG.leaseMs,
        ttlMs: DEFAULT_CONFIG.leaseMs,
      });
      h.clock.advance(5_000);
      expect(await lease(h, a)).toMatchObject({
        holder: true,
        epoch: 1,
        expiresAt: h.clock.now() + DEFAULT_CONFIG.leaseMs,
      });
      expect(await lease(h, b)).toMatchObject({ holder: false, epoch: 1 });
      expect((await agentsOf(h, cluster.id)).map((x) => [x.hostname, x.leaseHolder])).toEqual([
        ["node-a", true],
        ["node-b", false],
      ]);

      const before = await revisionOf(h, cluster.id);
      h.clock.advance(DEFAULT_CONFIG.leaseMs + 1);
      expect(await lease(h, b)).toMatchObject({ holder: true, epoch: 2 });
      expect(await revisionOf(h, cluster.id)).toBe(before + 1); // the new holder must see the whole cluster
      expect(await lease(h, a)).toMatchObject({ holder: false, epoch: 2 });
      expect((await desiredState(h, b)).lease).toMatchObject({ holder: true, epoch: 2 });
    });

    it("lets exactly one of two agents racing for a free lease win it", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const a = await newAgent(h, cluster);
      const b = await newAgent(h, cluster);
      const results: Lease[] = await Promise.all([lease(h, a), lease(h, b)]);
      expect(results.filter((r) => r.holder)).toHaveLength(1);
      expect(results.map((r) => r.epoch)).toEqual([1, 1]);
    });

    it("gives the lease up on release, so another agent takes it at once", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const a = await newAgent(h, cluster);
      const b = await newAgent(h, cluster);
      await lease(h, a);
      expect(await lease(h, a, { release: true })).toMatchObject({ holder: false, expiresAt: null });
      expect(await lease(h, b)).toMatchObject({ holder: true, epoch: 2 });
      expect(await lease(h, a, { release: true })).toMatchObject({ holder: false, epoch: 2 }); // not its lease
    });

    it("refuses assignments from a deposed holder, a wrong epoch or an expired lease with 409 STALE_EPOCH", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const a = await newAgent(h, cluster);
      const b = await newAgent(h, cluster);
      const launch = [{ taskId: "late.1", agentId: b.agentId, spec: { cmd: "x" } }];
      await lease(h, a);
      h.clock.advance(DEFAULT_CONFIG.leaseMs + 1);
      await refusedAsStale(await assign(h, a, { epoch: 1, launch })); // expired, nobody took it yet
      expect(await lease(h, b)).toMatchObject({ holder: true, epoch: 2 });
      const before = await revisionOf(h, cluster.id);

      await refusedAsStale(await assign(h, a, { epoch: 1, launch })); // deposed
      await refusedAsStale(await assign(h, a, { epoch: 2, launch })); // right epoch, not the holder
      await refusedAsStale(await assign(h, b, { epoch: 1, launch })); // the holder, with an old epoch
      expect(await revisionOf(h, cluster.id)).toBe(before);
      expect((await desiredState(h, b)).assignments).toEqual([]);
    });

    it("takes assignments idempotently by task id, only for agents of the cluster", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const holder = await newAgent(h, cluster);
      const stranger = await newAgent(h, await newCluster(h));
      const { epoch } = await lease(h, holder);
      const launch = [{ taskId: "web.1", agentId: holder.agentId, spec: { cmd: "serve" } }];
      const first = await h.json<{ revision: number; launched: string[] }>(
        agentPath(cluster.id, "assignments"),
        post({ epoch, launch }, holder.credential),
      );
      expect(first.launched).toEqual(["web.1"]);
      const again = await h.json(
        agentPath(cluster.id, "assignments"),
        post({ epoch, launch }, holder.credential),
      );
      expect(again).toEqual({
        revision: first.revision,
        launched: [],
        killed: [],
        forgotten: [],
        ignored: ["web.1"],
      });

      const foreign = await assign(h, holder, {
        epoch,
        launch: [{ taskId: "web.2", agentId: stranger.agentId, spec: {} }],
      });
      expect(foreign.status).toBe(400);
      expect(await foreign.json()).toMatchObject({ reason: "UNKNOWN_AGENT" });
      expect(await revisionOf(h, cluster.id)).toBe(first.revision);

      const killed = await h.json<{ revision: number; killed: string[] }>(
        agentPath(cluster.id, "assignments"),
        post({ epoch, kill: ["web.1", "never-launched"] }, holder.credential),
      );
      expect(killed).toMatchObject({ killed: ["web.1"], ignored: ["never-launched"] });
      expect(killed.revision).toBe(first.revision + 1);
      expect((await desiredState(h, holder)).assignments).toEqual([
        { taskId: "web.1", agentId: holder.agentId, spec: { cmd: "serve" }, kill: true, epoch },
      ]);
      await h.json(
        agentPath(cluster.id, "assignments"),
        post({ epoch, forget: ["web.1"] }, holder.credential),
      );
      expect((await desiredState(h, holder)).assignments).toEqual([]);
    });
  });
}

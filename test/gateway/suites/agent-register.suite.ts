/**
 * Agent registration with join tokens: the happy path, and every way a join token can be
 * refused (expired, revoked, used up, raced for its last use). Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import type { RegisterResponse } from "../../../gateway/contract/agent.js";
import { type Harness, post, unique } from "../harness.js";
import { agentsOf, desiredState, INVENTORY, newCluster, newJoinToken } from "./agent-fixtures.suite.js";

const register = (h: Harness, joinToken: string, hostname = unique("node")) =>
  h.request("/v1/agent/register", post({ joinToken, hostname, inventory: INVENTORY }, null));

async function joinTokens(h: Harness, cluster: string) {
  return (
    await h.json<{ joinTokens: { id: string; uses: number; revoked: boolean }[] }>(
      `/v1/clusters/${cluster}/join-tokens`,
    )
  ).joinTokens;
}

async function refusal(res: Response) {
  expect(res.status).toBe(401);
  const problem = (await res.json()) as { reason: string; detail: string };
  expect(problem.detail).toMatch(/flotilla cluster token/);
  return problem.reason;
}

export function agentRegisterSuite(make: () => Promise<Harness>): void {
  describe("agent API: register", () => {
    it("trades a join token for an agent credential, and lists the agent as healthy with its inventory", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const jt = await newJoinToken(h, cluster.name, { maxUses: 2, ttlSeconds: 600 });
      expect(jt.token).toMatch(/^fltj_/);
      const res = await register(h, jt.token, "worker-1");
      expect(res.status).toBe(201);
      const agent = (await res.json()) as RegisterResponse;
      expect(agent).toMatchObject({ clusterId: cluster.id, clusterName: cluster.name });
      expect(agent.credential).toMatch(/^flta_/);
      expect(agent.settings.leaseMs).toBeGreaterThan(0);

      const [listed, ...others] = await agentsOf(h, cluster.name);
      expect(others).toEqual([]);
      expect(listed).toMatchObject({
        id: agent.agentId,
        hostname: "worker-1",
        state: "healthy",
        leaseHolder: false,
      });
      expect(listed?.inventory).toMatchObject({
        resources: { cpus: 4, mem: 8192 },
        attributes: { zone: "a" },
      });
      expect(await joinTokens(h, cluster.id)).toEqual([expect.objectContaining({ id: jt.id, uses: 1 })]);
      // The credential works at once, and the join-token list never shows a secret.
      expect((await desiredState(h, agent)).agentId).toBe(agent.agentId);
      expect(JSON.stringify(await joinTokens(h, cluster.id))).not.toContain(jt.token);
    });

    it("refuses an expired join token with 401 JOIN_TOKEN_EXPIRED and registers nobody", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const jt = await newJoinToken(h, cluster.id, { ttlSeconds: 60 });
      h.clock.advance(60_001);
      expect(await refusal(await register(h, jt.token))).toBe("JOIN_TOKEN_EXPIRED");
      expect(await agentsOf(h, cluster.id)).toEqual([]);
      expect((await joinTokens(h, cluster.id))[0]?.uses).toBe(0);
    });

    it("refuses a revoked join token with 401 JOIN_TOKEN_REVOKED", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const jt = await newJoinToken(h, cluster.id, { maxUses: 5 });
      const del = await h.request(`/v1/clusters/${cluster.id}/join-tokens/${jt.id}`, { method: "DELETE" });
      expect(del.status).toBe(204);
      expect(await refusal(await register(h, jt.token))).toBe("JOIN_TOKEN_REVOKED");
      expect(await joinTokens(h, cluster.id)).toEqual([expect.objectContaining({ revoked: true, uses: 0 })]);
      expect(await agentsOf(h, cluster.id)).toEqual([]);
    });

    it("refuses a used-up join token with 401 JOIN_TOKEN_USED_UP, and an unknown one", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const jt = await newJoinToken(h, cluster.id, { maxUses: 1 });
      expect((await register(h, jt.token)).status).toBe(201);
      expect(await refusal(await register(h, jt.token))).toBe("JOIN_TOKEN_USED_UP");
      expect(await refusal(await register(h, `fltj_${"x".repeat(32)}`))).toBe("JOIN_TOKEN_UNKNOWN");
      expect(await agentsOf(h, cluster.id)).toHaveLength(1);
      expect((await joinTokens(h, cluster.id))[0]?.uses).toBe(1);
    });

    it("lets exactly one of two simultaneous registrations take a token's last use", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const jt = await newJoinToken(h, cluster.id, { maxUses: 1 });
      const results = await Promise.all([register(h, jt.token, "racer-a"), register(h, jt.token, "racer-b")]);
      expect(results.map((r) => r.status).sort()).toEqual([201, 401]);
      expect(await agentsOf(h, cluster.id)).toHaveLength(1);
      expect((await joinTokens(h, cluster.id))[0]?.uses).toBe(1);
    });

    it("refuses a malformed registration with 400 without consuming a use", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const jt = await newJoinToken(h, cluster.id);
      const res = await h.request(
        "/v1/agent/register",
        post({ joinToken: jt.token, hostname: "bad host!", inventory: { resources: { cpus: "4" } } }, null),
      );
      expect(res.status).toBe(400);
      const detail = ((await res.json()) as { detail: string }).detail;
      expect(detail).toMatch(/\/hostname/);
      expect(detail).toMatch(/\/inventory\/resources\/cpus/);
      expect((await joinTokens(h, cluster.id))[0]?.uses).toBe(0);
    });

    it("lets only admins manage join tokens, and 404s an unknown cluster", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const { token } = await h.json<{ token: string }>(
        "/v1/tokens",
        post({ name: unique("op"), role: "operator" }),
        201,
      );
      expect((await h.request(`/v1/clusters/${cluster.id}/join-tokens`, post({}, token))).status).toBe(403);
      expect((await h.request(`/v1/clusters/${cluster.id}/join-tokens`, { token })).status).toBe(403);
      expect((await h.request(`/v1/clusters/${cluster.id}/join-tokens`, post({}, null))).status).toBe(401);
      expect((await h.request(`/v1/clusters/${unique("nope")}/join-tokens`, post({}))).status).toBe(404);
      expect(
        (await h.request(`/v1/clusters/${cluster.id}/join-tokens`, post({ ttlSeconds: 1, maxUses: 0 })))
          .status,
      ).toBe(400);
    });
  });
}

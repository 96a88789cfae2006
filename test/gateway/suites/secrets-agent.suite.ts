/**
 * The secret store, agent side: an agent reads the values of the paths that its own live
 * assignments declare as secret sources, and nothing else — a path it has no claim to is
 * refused the same way whether or not it exists; an agent of another cluster is refused
 * outright; reads are audited without values. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import type { RegisterResponse } from "../../../gateway/contract/agent.js";
import { type Harness, post, unique } from "../harness.js";
import { agentPath, assign, lease, newAgent, newCluster, type TestCluster } from "./agent-fixtures.suite.js";

const setSecret = (h: Harness, cluster: string, path: string, value: string) =>
  h.json(`/v1/clusters/${cluster}/secrets/${encodeURIComponent(path)}`, {
    method: "PUT",
    body: JSON.stringify({ value }),
  });

const resolve = (h: Harness, agent: RegisterResponse, paths: string[], cluster = agent.clusterId) =>
  h.request(agentPath(cluster, "secrets"), post({ paths }, agent.credential));

/** A task spec as the holder writes it, with env values that refer to secrets. */
const specWith = (secrets: Record<string, string>) => ({
  kind: "service",
  appId: "/web",
  cmd: "env",
  env: Object.fromEntries(Object.keys(secrets).map((name) => [name.toUpperCase(), { secret: name }])),
  secrets: Object.fromEntries(Object.entries(secrets).map(([name, source]) => [name, { source }])),
  resources: { cpus: 0.1, mem: 32 },
  launchedAt: 1,
});

/** Two agents of one cluster; the first holds the lease and assigns one task to each. */
async function world(h: Harness): Promise<{
  cluster: TestCluster;
  holder: RegisterResponse;
  other: RegisterResponse;
  epoch: number;
  values: Record<string, string>;
}> {
  const cluster = await newCluster(h);
  const holder = await newAgent(h, cluster);
  const other = await newAgent(h, cluster);
  const { epoch } = await lease(h, holder);
  const values = {
    "db/password": unique("db-pw"),
    "api/key": unique("api-key"),
    "unused/x": unique("unused"),
  };
  for (const [path, value] of Object.entries(values)) await setSecret(h, cluster.id, path, value);
  const res = await assign(h, holder, {
    epoch,
    launch: [
      // DC/OS writes sources with a leading slash; it names the same path.
      { taskId: "web-1", agentId: holder.agentId, spec: specWith({ db: "/db/password" }) },
      { taskId: "api-1", agentId: other.agentId, spec: specWith({ api: "api/key" }) },
    ],
  });
  expect(res.status).toBe(200);
  return { cluster, holder, other, epoch, values };
}

export function secretsAgentSuite(make: () => Promise<Harness>): void {
  describe("secrets: the agent API", () => {
    it("gives an agent the values of the secrets its own assignments declare", async () => {
      const h = await make();
      const { holder, other, values } = await world(h);
      const mine = await resolve(h, holder, ["db/password"]);
      expect(mine.status).toBe(200);
      expect(mine.headers.get("cache-control")).toBe("no-store");
      expect(await mine.json()).toEqual({ values: { "db/password": values["db/password"] } });
      expect(await (await resolve(h, other, ["api/key", "api/key"])).json()).toEqual({
        values: { "api/key": values["api/key"] },
      });
    });

    it("refuses paths the agent's assignments do not declare, alike whether they exist or not", async () => {
      const h = await make();
      const { holder } = await world(h);
      type Problem = { reason?: string; detail: string; details?: unknown };
      const answers: { status: number; body: Problem }[] = [];
      for (const path of ["api/key", "unused/x", "no/such-secret"]) {
        const res = await resolve(h, holder, ["db/password", path]);
        answers.push({ status: res.status, body: (await res.json()) as Problem });
      }
      for (const [i, path] of ["api/key", "unused/x", "no/such-secret"].entries()) {
        const a = answers[i];
        expect(a?.status).toBe(403);
        expect(a?.body.reason).toBe("SECRET_NOT_REFERENCED");
        expect(a?.body.details).toEqual({ paths: [path] });
        // The same words for a secret that exists and one that does not.
        expect(a?.body.detail.replace(path, "<p>")).toBe(
          answers[2]?.body.detail.replace("no/such-secret", "<p>"),
        );
      }
      expect(JSON.stringify(answers)).not.toContain("db-pw");
    });

    it("stops answering a task's secrets once its assignment is marked to be killed", async () => {
      const h = await make();
      const { holder, epoch } = await world(h);
      expect((await resolve(h, holder, ["db/password"])).status).toBe(200);
      expect((await assign(h, holder, { epoch, kill: ["web-1"] })).status).toBe(200);
      expect((await resolve(h, holder, ["db/password"])).status).toBe(403);
    });

    it("says which referenced secret is missing from the store", async () => {
      const h = await make();
      const { cluster, holder } = await world(h);
      await h.request(`/v1/clusters/${cluster.id}/secrets/${encodeURIComponent("db/password")}`, {
        method: "DELETE",
      });
      const res = await resolve(h, holder, ["db/password"]);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({
        reason: "SECRET_NOT_FOUND",
        details: { paths: ["db/password"] },
      });
    });

    it("refuses an agent of another cluster, and user tokens", async () => {
      const h = await make();
      const { cluster, values } = await world(h);
      const elsewhere = await newAgent(h, await newCluster(h));
      const foreign = await resolve(h, elsewhere, ["db/password"], cluster.id);
      expect(foreign.status).toBe(403);
      expect(await foreign.text()).not.toContain(values["db/password"]);
      // On its own cluster's route it has no claim to the path either.
      expect((await resolve(h, elsewhere, ["db/password"])).status).toBe(403);
      const user = await h.request(agentPath(cluster.id, "secrets"), post({ paths: ["db/password"] }));
      expect(user.status).toBe(403);
      expect(
        (await h.request(agentPath(cluster.id, "secrets"), post({ paths: ["db/password"] }, null))).status,
      ).toBe(401);
    });

    it("refuses malformed requests with 400", async () => {
      const h = await make();
      const { holder } = await world(h);
      for (const body of [{ paths: [] }, { paths: ["../x"] }, { paths: ["db/password"], extra: true }, {}]) {
        expect(
          (await h.request(agentPath(holder.clusterId, "secrets"), post(body, holder.credential))).status,
        ).toBe(400);
      }
    });

    it("records each read in the audit log, with paths and without values", async () => {
      const h = await make();
      const { cluster, holder, values } = await world(h);
      await resolve(h, holder, ["db/password"]);
      const text = await (await h.request(`/v1/audit?cluster=${cluster.id}`)).text();
      expect(text).not.toContain(values["db/password"]);
      const read = (
        JSON.parse(text) as { entries: { action: string; actor: string; details: unknown }[] }
      ).entries.find((e) => e.action === "secret.read");
      expect(read).toMatchObject({
        actor: `agent:${holder.agentId}`,
        details: { clusterId: cluster.id, paths: ["db/password"] },
      });
    });
  });
}

/**
 * Scaling and restarting a service: each a new revision of the install that runs the app, seen
 * in its history and by the agents; refusals write nothing. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { type Harness, post, unique } from "../harness.js";
import { desiredState, newAgent } from "./agent-fixtures.suite.js";
import { desiredRevisionOf, newCluster, pkg, seedCatalog, seedToken } from "./installs-fixtures.js";

interface ServiceChange {
  appId: string;
  action: string;
  changed: boolean;
  previousInstances: number;
  instances: number;
  restartLabel: string | null;
  install: { id: string; appId: string; revision: number };
  desiredRevision: number;
}
interface Detail {
  revision: number;
  plan: { apps: { id: string; instances: number; labels: Record<string, string>; mem: number }[] };
  history: { revision: number; reason: string }[];
}

async function service(h: Harness) {
  const name = unique("web");
  await seedCatalog(h, [pkg({ name, version: "1.0.0" })]);
  const cluster = await newCluster(h);
  const base = `/v1/clusters/${cluster.id}`;
  await h.json(`${base}/installs`, post({ package: name, options: { service: { instances: 2 } } }), 201);
  return { name, cluster, base, install: `${base}/installs/${name}` };
}

export function operationsServicesSuite(make: () => Promise<Harness>): void {
  describe("operations: services", () => {
    it("scales an app as a new install revision (reason scale) whose plan has the new instances, and the agents see it", async () => {
      const h = await make();
      const s = await service(h);
      const agent = await newAgent(h, s.cluster);
      const before = await desiredRevisionOf(h, s.cluster.id);
      const operator = await seedToken(h, "operator");

      const scaled = await h.json<ServiceChange>(
        `${s.base}/services/scale`,
        post({ appId: s.name, instances: 5 }, operator),
      );
      expect(scaled).toMatchObject({
        appId: `/${s.name}`,
        action: "scale",
        changed: true,
        previousInstances: 2,
        instances: 5,
        restartLabel: null,
        install: { appId: `/${s.name}`, revision: 2 },
        desiredRevision: before + 1,
      });
      const detail = await h.json<Detail>(s.install);
      expect(detail.plan.apps[0]).toMatchObject({ id: `/${s.name}`, instances: 5, mem: 256 });
      expect(detail.history.map((r) => r.reason)).toEqual(["install", "scale"]);
      const history = await h.json<{ revisions: { reason: string; current: boolean }[] }>(
        `${s.install}/history`,
      );
      expect(history.revisions.at(-1)).toMatchObject({ reason: "scale", current: true });

      const doc = await desiredState(h, agent);
      expect(doc.revision).toBe(before + 1);
      expect((doc.installs[0]!.plan as Detail["plan"]).apps[0]!.instances).toBe(5);

      const audit = await h.json<{ entries: { action: string; details: Record<string, unknown> }[] }>(
        `/v1/audit?cluster=${s.cluster.id}`,
      );
      expect(audit.entries[0]).toMatchObject({
        action: "service.scale",
        details: { app: `/${s.name}`, from: 2, to: 5, revision: 2 },
      });
    });

    it("writes nothing when the app already has that many instances, and says so", async () => {
      const h = await make();
      const s = await service(h);
      const before = await desiredRevisionOf(h, s.cluster.id);
      const same = await h.json<ServiceChange>(
        `${s.base}/services/scale`,
        post({ appId: `/${s.name}`, instances: 2 }),
      );
      expect(same).toMatchObject({ changed: false, install: { revision: 1 }, desiredRevision: before });
      expect(await desiredRevisionOf(h, s.cluster.id)).toBe(before);
      expect((await h.json<Detail>(s.install)).history).toHaveLength(1);
    });

    it("restarts an app with a new FLOTILLA_RESTART label in a new revision (reason restart), and again on a second restart", async () => {
      const h = await make();
      const s = await service(h);
      const before = await desiredRevisionOf(h, s.cluster.id);
      const first = await h.json<ServiceChange>(`${s.base}/services/restart`, post({ appId: s.name }));
      expect(first).toMatchObject({
        action: "restart",
        changed: true,
        instances: 2,
        restartLabel: String(h.clock.now()),
        desiredRevision: before + 1,
      });
      // A restart within the same millisecond still makes a new version.
      const second = await h.json<ServiceChange>(`${s.base}/services/restart`, post({ appId: s.name }));
      expect(Number(second.restartLabel)).toBeGreaterThan(Number(first.restartLabel));
      const detail = await h.json<Detail>(s.install);
      expect(detail.plan.apps[0]!.labels.FLOTILLA_RESTART).toBe(second.restartLabel);
      expect(detail.plan.apps[0]!.labels.DCOS_PACKAGE_NAME).toBe(s.name);
      expect(detail.plan.apps[0]!.instances).toBe(2);
      expect(detail.history.map((r) => r.reason)).toEqual(["install", "restart", "restart"]);
    });

    it("refuses an unknown app (404), a bad body (400) and a viewer (403), writing nothing", async () => {
      const h = await make();
      const s = await service(h);
      const before = await desiredRevisionOf(h, s.cluster.id);
      const viewer = await seedToken(h, "viewer");
      const scale = (body: unknown, token?: string) =>
        h.request(`${s.base}/services/scale`, post(body, token));
      const unknown = await scale({ appId: "/nope", instances: 1 });
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { detail: string }).detail).toContain("app /nope");
      expect((await scale({ appId: s.name, instances: -1 })).status).toBe(400);
      expect((await scale({ appId: s.name, instances: 1.5 })).status).toBe(400);
      expect((await scale({ appId: s.name })).status).toBe(400);
      expect((await scale({ appId: s.name, instances: 3, colour: "red" })).status).toBe(400);
      expect((await scale({ appId: "Not An Id", instances: 3 })).status).toBe(400);
      expect((await scale({ appId: s.name, instances: 3 }, viewer)).status).toBe(403);
      expect((await h.request(`${s.base}/services/restart`, post({ appId: s.name }, viewer))).status).toBe(
        403,
      );
      expect((await h.request(`${s.base}/services/restart`, post({}))).status).toBe(400);
      expect(await desiredRevisionOf(h, s.cluster.id)).toBe(before);
      expect((await h.json<Detail>(s.install)).history).toHaveLength(1);
    });

    it("documents every operations route with the role it needs", async () => {
      const h = await make();
      type Op = { description: string };
      const doc = await h.json<{ paths: Record<string, Record<string, Op>> }>("/openapi.json", {
        token: null,
      });
      const role = (path: string, method: string) =>
        doc.paths[path]?.[method]?.description.match(/Role: (\w+)/)?.[1];
      const jobs = "/v1/clusters/{cluster}/jobs";
      expect({
        list: role(jobs, "get"),
        show: role(`${jobs}/{jobId}`, "get"),
        runs: role(`${jobs}/{jobId}/runs`, "get"),
        run: role(`${jobs}/{jobId}/runs`, "post"),
        scale: role("/v1/clusters/{cluster}/services/scale", "post"),
        restart: role("/v1/clusters/{cluster}/services/restart", "post"),
      }).toEqual({
        list: "viewer",
        show: "viewer",
        runs: "viewer",
        run: "operator",
        scale: "operator",
        restart: "operator",
      });
    });
  });
}

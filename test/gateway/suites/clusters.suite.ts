/** Clusters: create, list, show, delete; validation; roles. Runs on Node and in workerd. */
import { describe, expect, it } from "vitest";
import { type Harness, post, unique } from "../harness.js";

export function clustersSuite(make: () => Promise<Harness>): void {
  describe("clusters", () => {
    it("creates a cluster with labels and shows it by id and by name", async () => {
      const h = await make();
      const name = unique("berlin");
      const created = await h.json<{ id: string; name: string; labels: Record<string, string> }>(
        "/v1/clusters",
        post({ name, labels: { region: "eu" } }),
        201,
      );
      expect(created).toMatchObject({ name, labels: { region: "eu" }, desiredRevision: 1 });
      expect(await h.json(`/v1/clusters/${created.id}`)).toMatchObject({ id: created.id, name });
      expect(await h.json(`/v1/clusters/${name}`)).toMatchObject({ id: created.id });
      const list = await h.json<{ clusters: { name: string }[] }>("/v1/clusters");
      expect(list.clusters.map((c) => c.name)).toContain(name);
    });

    it("tags every answer with the request id its problem documents carry", async () => {
      const h = await make();
      const ok = await h.request("/v1/clusters");
      expect(ok.status).toBe(200);
      expect(ok.headers.get("x-request-id")).toMatch(/^req_[0-9a-f-]{36}$/);
      for (const res of [
        await h.request("/v1/clusters/no-such-cluster"),
        await h.request("/v1/clusters", post({ name: "Bad Name!" })),
        await h.request("/v1/no-such-route"),
        await h.request("/v1/clusters", { token: null }),
      ]) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        const problem = (await res.json()) as { requestId: string };
        expect(res.headers.get("x-request-id")).toBe(problem.requestId);
      }
    });

    it("refuses a duplicate name with 409 and changes nothing", async () => {
      const h = await make();
      const name = unique("dup");
      await h.json("/v1/clusters", post({ name }), 201);
      const res = await h.request("/v1/clusters", post({ name, labels: { x: "y" } }));
      expect(res.status).toBe(409);
      expect(res.headers.get("content-type")).toMatch(/application\/problem\+json/);
      expect(await res.json()).toMatchObject({ code: "CONFLICT", reason: "CLUSTER_EXISTS" });
      expect(await h.json(`/v1/clusters/${name}`)).toMatchObject({ labels: {} });
    });

    it("refuses bad input with 400 naming each field, and unknown fields", async () => {
      const h = await make();
      const res = await h.request("/v1/clusters", post({ name: "Bad Name!", labels: { a: 1 }, extra: true }));
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { detail: string; code: string };
      expect(problem.code).toBe("VALIDATION");
      expect(problem.detail).toMatch(/\/name/);
      expect(problem.detail).toMatch(/\/labels\/a/);
      expect(problem.detail).toMatch(/extra/);
    });

    it("refuses malformed JSON with 400", async () => {
      const h = await make();
      const res = await h.request("/v1/clusters", { method: "POST", body: "{not json" });
      expect(res.status).toBe(400);
    });

    it("answers 404 for an unknown cluster and 401 without a token", async () => {
      const h = await make();
      expect((await h.request(`/v1/clusters/${unique("nope")}`)).status).toBe(404);
      expect((await h.request("/v1/clusters", { token: null })).status).toBe(401);
      expect((await h.request("/v1/clusters", { token: "flt_not-a-real-token-0000000000" })).status).toBe(
        401,
      );
    });

    it("deletes a cluster", async () => {
      const h = await make();
      const name = unique("gone");
      await h.json("/v1/clusters", post({ name }), 201);
      expect((await h.request(`/v1/clusters/${name}`, { method: "DELETE" })).status).toBe(204);
      expect((await h.request(`/v1/clusters/${name}`)).status).toBe(404);
    });

    it("serves the OpenAPI document and a docs page that list the cluster routes", async () => {
      const h = await make();
      const doc = await h.json<{ paths: Record<string, unknown> }>("/openapi.json", { token: null });
      expect(Object.keys(doc.paths)).toContain("/v1/clusters");
      const page = await h.request("/docs", { token: null });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/POST \/v1\/clusters/);
    });
  });
}

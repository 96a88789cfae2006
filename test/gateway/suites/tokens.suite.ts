/**
 * API tokens: roles (a viewer reads but cannot change), cluster limits (a token limited to A
 * sees only A and is refused on B), revocation (at once, cached principals included), and
 * secrets that are shown once and never listed. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { type Harness, post, unique } from "../harness.js";
import { newCluster } from "./agent-fixtures.suite.js";

interface Created {
  id: string;
  name: string;
  role: string;
  clusters: string[] | null;
  token: string;
}

const createToken = (h: Harness, body: Record<string, unknown>, token?: string) =>
  h.json<Created>("/v1/tokens", post({ name: unique("tok"), ...body }, token), 201);

export function tokensSuite(make: () => Promise<Harness>): void {
  describe("API tokens", () => {
    it("lets a viewer token list clusters but not create one (403)", async () => {
      const h = await make();
      const viewer = await createToken(h, { role: "viewer" });
      expect(viewer.token).toMatch(/^flt_/);
      expect(viewer).toMatchObject({ role: "viewer", clusters: null });
      expect((await h.request("/v1/clusters", { token: viewer.token })).status).toBe(200);
      const res = await h.request("/v1/clusters", post({ name: unique("nope") }, viewer.token));
      expect(res.status).toBe(403);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/admin role/);
      expect((await h.request("/v1/tokens", post({ name: "x", role: "admin" }, viewer.token))).status).toBe(
        403,
      );
    });

    it("limits a token to its clusters: 403 on another cluster's routes, and only its own listed", async () => {
      const h = await make();
      const [a, b] = [await newCluster(h, "a"), await newCluster(h, "b")];
      const limited = await createToken(h, { role: "operator", clusters: [a.name] });
      expect(limited.clusters).toEqual([a.id]); // given by name, stored by id
      const list = await h.json<{ clusters: { id: string }[] }>("/v1/clusters", { token: limited.token });
      expect(list.clusters.map((c) => c.id)).toEqual([a.id]);
      expect((await h.request(`/v1/clusters/${a.id}`, { token: limited.token })).status).toBe(200);
      for (const path of [`/v1/clusters/${b.id}`, `/v1/clusters/${b.name}`, `/v1/clusters/${b.id}/agents`]) {
        expect((await h.request(path, { token: limited.token })).status, path).toBe(403);
      }
    });

    it("keeps a cluster-limited admin within its clusters when it mints tokens", async () => {
      const h = await make();
      const [a, b] = [await newCluster(h, "a"), await newCluster(h, "b")];
      const admin = await createToken(h, { role: "admin", clusters: [a.id] });
      const minted = await createToken(h, { role: "viewer" }, admin.token);
      expect(minted.clusters).toEqual([a.id]); // inherits the limit rather than widening it
      expect(
        (await h.request("/v1/tokens", post({ name: "w", role: "viewer", clusters: [b.id] }, admin.token)))
          .status,
      ).toBe(403);
      const visible = await h.json<{ tokens: { id: string }[] }>("/v1/tokens", { token: admin.token });
      expect(visible.tokens.map((t) => t.id).sort()).toEqual([admin.id, minted.id].sort());
    });

    it("revokes a token at once, even one the gateway has cached", async () => {
      const h = await make();
      const token = await createToken(h, { role: "viewer" });
      expect((await h.request("/v1/clusters", { token: token.token })).status).toBe(200);
      expect((await h.request(`/v1/tokens/${token.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await h.request("/v1/clusters", { token: token.token })).status).toBe(401);
      expect((await h.request(`/v1/tokens/${token.id}`, { method: "DELETE" })).status).toBe(204);
      expect((await h.request(`/v1/tokens/${unique("tok_")}`, { method: "DELETE" })).status).toBe(404);
      const listed = await h.json<{ tokens: { id: string; revoked: boolean }[] }>("/v1/tokens");
      expect(listed.tokens.find((t) => t.id === token.id)).toMatchObject({ revoked: true });
    });

    it("lists tokens without their secrets", async () => {
      const h = await make();
      const token = await createToken(h, { role: "operator" });
      const res = await h.request("/v1/tokens");
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text).toContain(token.id);
      expect(text).not.toContain(token.token);
      expect(text).not.toMatch(/secret|"token"/i);
    });

    it("refuses unknown clusters (404), bad roles and unknown fields (400), and anonymous callers (401)", async () => {
      const h = await make();
      const missing = unique("missing");
      const res = await h.request("/v1/tokens", post({ name: "x", role: "viewer", clusters: [missing] }));
      expect(res.status).toBe(404);
      expect(((await res.json()) as { detail: string }).detail).toContain(missing);
      expect((await h.request("/v1/tokens", post({ name: "x", role: "root" }))).status).toBe(400);
      expect((await h.request("/v1/tokens", post({ name: "x", role: "viewer", scope: "*" }))).status).toBe(
        400,
      );
      expect((await h.request("/v1/tokens", { token: null })).status).toBe(401);
    });
  });
}

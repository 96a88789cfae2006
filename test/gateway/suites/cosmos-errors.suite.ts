/**
 * How a cluster's Cosmos API says no: Cosmos's `{type, message, data}` with its error media type
 * for unknown packages and versions, options a package cannot take, a template that is not an
 * object, bad Accept and Content-Type headers, bodies that do not decode, missing or
 * insufficient credentials, an unknown cluster or endpoint — and nothing written on the way.
 * Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { textToBase64 } from "../../../universe/encoding.js";
import { unique } from "../harness.js";
import { addIndex, indexEntry, tokenOf, word } from "./catalog-fixtures.suite.js";
import { call, cosmos, cosmosError, ERROR_MEDIA_TYPE, media, newCluster } from "./cosmos-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

/** A package without config.json whose template renders `template`. */
const bareEntry = (name: string, template: string) => ({
  packagingVersion: "4.0",
  name,
  version: "1.0.0",
  maintainer: "t@example.test",
  description: "no options",
  tags: [],
  releaseVersion: 0,
  marathon: { v2AppMustacheTemplate: textToBase64(template) },
});

export function cosmosErrorsSuite(make: MakeHarness): void {
  describe("cosmos: errors", () => {
    it("names unknown packages and versions as Cosmos did", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = word("nf");
      const missing = await cosmosError(
        await cosmos(h, cluster.name, "/package/describe", { packageName: name }),
        400,
        "PackageNotFound",
      );
      expect(missing).toEqual({
        type: "PackageNotFound",
        message: `Package [${name}] not found`,
        data: { packageName: name },
      });

      await addIndex(h, unique("cos"), [indexEntry({ name, version: "1.0.0" }, 0)]);
      const version = await cosmosError(
        await cosmos(h, cluster.name, "/package/render", { packageName: name, packageVersion: "^1.0" }),
        400,
        "VersionNotFound",
      );
      expect(version.message).toBe(`Version [^1.0] of package [${name}] not found`);
      for (const path of ["/package/install", "/package/list-versions", "/package/describe"]) {
        const res = await cosmos(h, cluster.name, path, { packageName: word("none") });
        await cosmosError(res, 400, "PackageNotFound");
      }
    });

    it("refuses options to a package without config.json and a template that is not an object", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const bare = word("bare");
      const list = word("arr");
      await addIndex(h, unique("cos"), [
        bareEntry(bare, '{"id": "/bare", "cmd": "sleep 1"}'),
        bareEntry(list, "[1, 2]"),
      ]);
      const fine = await call<{ marathonJson: { id: string } }>(h, cluster.name, "/package/render", {
        packageName: bare,
      });
      expect(fine.marathonJson.id).toBe("/bare");
      const options = await cosmos(h, cluster.name, "/package/install", {
        packageName: bare,
        options: { a: 1 },
      });
      expect((await cosmosError(options, 400, "OptionsNotAllowed")).message).toBe(
        `Package [${bare}] does not take options`,
      );
      const notObject = await cosmos(h, cluster.name, "/package/render", { packageName: list });
      await cosmosError(notObject, 400, "MarathonTemplateMustBeJsonObject");
      expect((await call<{ packages: unknown[] }>(h, cluster.name, "/package/list", {})).packages).toEqual(
        [],
      );
    });

    it("refuses to render a package as one Marathon app when it has none or several", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const group = word("grp");
      const jobs = word("job");
      const flotilla = (name: string, extra: Record<string, string>) => ({
        ...bareEntry(name, ""),
        packagingVersion: "flotilla/1",
        marathon: undefined,
        flotilla: extra,
      });
      await addIndex(h, unique("cos"), [
        flotilla(group, {
          groupMustacheTemplate: textToBase64(
            '{"id": "/shop", "apps": [{"id": "web", "cmd": "sleep 1"}, {"id": "db", "cmd": "sleep 1"}]}',
          ),
        }),
        flotilla(jobs, { jobsMustacheTemplate: textToBase64('{"id": "nightly", "run": {"cmd": "true"}}') }),
      ]);
      const several = await cosmos(h, cluster.name, "/package/render", { packageName: group });
      const body = await cosmosError(several, 400, "MultipleMarathonApps");
      expect(body.data).toMatchObject({ appIds: ["/shop/web", "/shop/db"] });
      expect(body.message).toContain(`POST /v1/packages/${group}/render`);
      const none = await cosmos(h, cluster.name, "/package/render", { packageName: jobs });
      await cosmosError(none, 400, "ServiceMarathonTemplateNotFound");
    });

    it("answers 406 when Accept allows no response type this endpoint has", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const name = word("acc");
      await addIndex(h, unique("cos"), [indexEntry({ name }, 0)]);
      for (const accept of [
        media("/package/describe", "response", "v1"),
        "text/html",
        media("/package/search", "response"),
        ERROR_MEDIA_TYPE,
      ]) {
        const res = await cosmos(h, cluster.name, "/package/describe", { packageName: name }, { accept });
        const body = await cosmosError(res, 406, "not_valid");
        expect(body.data).toMatchObject({
          invalidItem: { type: "header", name: "Accept" },
          available: [
            media("/package/describe", "response", "v3"),
            media("/package/describe", "response", "v2"),
          ],
        });
      }
      // A list with an acceptable entry is fine, as the Go client's joined Accept header is.
      const joined = `${media("/package/install", "response")},${ERROR_MEDIA_TYPE}`;
      const ok = await cosmos(h, cluster.name, "/package/install", { packageName: name }, { accept: joined });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toBe(media("/package/install", "response", "v1"));
      // Refused up front: the 406 installed nothing.
      const refused = await cosmos(
        h,
        cluster.name,
        "/package/install",
        { packageName: name, appId: "/x" },
        { accept: "text/plain" },
      );
      await cosmosError(refused, 406, "not_valid");
      expect(
        (await call<{ packages: unknown[] }>(h, cluster.name, "/package/list", {})).packages,
      ).toHaveLength(1);
    });

    it("refuses bodies that are not JSON, do not decode, or come with another media type", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const malformed = await cosmos(h, cluster.name, "/package/search", null, { raw: "{not json" });
      expect((await cosmosError(malformed, 400, "json_error")).data).toMatchObject({ type: "parse" });
      const wrong = await cosmos(h, cluster.name, "/package/describe", { packageName: 5 });
      const decoded = await cosmosError(wrong, 400, "json_error");
      expect(decoded.data).toMatchObject({ type: "decode", path: "/packageName" });
      const missing = await cosmos(h, cluster.name, "/cosmos/service/update", { appId: "/x" });
      expect((await cosmosError(missing, 400, "json_error")).data).toMatchObject({ path: "/replace" });
      const other = await cosmos(
        h,
        cluster.name,
        "/package/search",
        {},
        { contentType: media("/package/install", "request") },
      );
      await cosmosError(other, 415, "UnsupportedContentType");
      const text = await cosmos(h, cluster.name, "/package/search", {}, { contentType: "text/plain" });
      await cosmosError(text, 415, "UnsupportedContentType");
    });

    it("answers 401 without a valid token and 403 for a role or cluster the token lacks, writing nothing", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const elsewhere = await newCluster(h);
      const name = word("auth");
      await addIndex(h, unique("cos"), [indexEntry({ name }, 0)]);
      const anonymous = await cosmos(h, cluster.name, "/package/search", {}, { token: null });
      expect((await cosmosError(anonymous, 401, "Unauthorized")).message).toMatch(/token=flt_/);
      expect(anonymous.headers.get("www-authenticate")).toMatch(/Bearer/);
      await cosmosError(
        await cosmos(h, cluster.name, "/package/search", {}, { token: "flt_nope" }),
        401,
        "Unauthorized",
      );

      const viewer = await tokenOf(h, "viewer");
      await call(h, cluster.name, "/package/search", { query: name }, { token: viewer });
      const install = await cosmos(
        h,
        cluster.name,
        "/package/install",
        { packageName: name },
        { token: viewer },
      );
      expect((await cosmosError(install, 403, "Forbidden")).message).toMatch(/operator/);
      const operator = await tokenOf(h, "operator");
      const add = await cosmos(
        h,
        cluster.name,
        "/package/repository/add",
        { name: unique("r"), uri: "https://example.test/repo.json" },
        { token: operator },
      );
      await cosmosError(add, 403, "Forbidden");

      const limited = await tokenOf(h, "operator", [elsewhere.id]);
      const other = await cosmos(
        h,
        cluster.name,
        "/package/install",
        { packageName: name },
        { token: limited },
      );
      await cosmosError(other, 403, "Forbidden");
      expect((await call<{ packages: unknown[] }>(h, cluster.name, "/package/list", {})).packages).toEqual(
        [],
      );
      // The same token works on its own cluster.
      await call(h, elsewhere.id, "/package/install", { packageName: name }, { token: limited });
      // A Bearer token is accepted as well as DC/OS's token=.
      const bearer = await h.request(`/cosmos/clusters/${cluster.id}/package/search`, {
        method: "POST",
        body: "{}",
        headers: {
          "content-type": media("/package/search", "request"),
          accept: media("/package/search", "response"),
        },
      });
      expect(bearer.status).toBe(200);
    });

    it("answers an unknown cluster or endpoint in Cosmos's shape", async () => {
      const h = await make();
      const nowhere = await cosmos(h, unique("nowhere"), "/package/search", {});
      await cosmosError(nowhere, 404, "ClusterNotFound");
      const cluster = await newCluster(h);
      const unknown = await cosmos(h, cluster.name, "/package/frobnicate", {});
      await cosmosError(unknown, 404, "EndpointNotFound");
      const get = await h.request(`/cosmos/clusters/${cluster.name}/package/search`);
      await cosmosError(get, 404, "EndpointNotFound");
    });
  });
}

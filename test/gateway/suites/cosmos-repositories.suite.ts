/**
 * Repositories through a cluster's Cosmos API: list (the gateway's, in priority order), add by
 * URL (refused with a clear error on a gateway that does not fetch URLs; duplicates and bad
 * indexes refused first), delete by name or URI. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import { unique } from "../harness.js";
import { addIndex, indexEntry, listRepositories, word } from "./catalog-fixtures.suite.js";
import { call, cosmos, cosmosError, newCluster } from "./cosmos-fixtures.suite.js";
import type { MakeHarness } from "./index.js";

interface Repos {
  repositories: { name: string; uri: string }[];
}

export function cosmosRepositoriesSuite(make: MakeHarness): void {
  describe("cosmos: repositories", () => {
    it("lists the gateway's repositories in priority order, uploads by their Flotilla path", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const first = unique("cosr");
      const second = unique("cosr");
      const a = await addIndex(h, first, [indexEntry({ name: word("ra") }, 0)]);
      await addIndex(h, second, [indexEntry({ name: word("rb") }, 0)]);
      const listed = await call<Repos>(h, cluster.name, "/package/repository/list", {});
      const names = listed.repositories.map((r) => r.name);
      expect(names.indexOf(first)).toBeGreaterThanOrEqual(0);
      expect(names.indexOf(first)).toBeLessThan(names.indexOf(second));
      expect(listed.repositories.find((r) => r.name === first)?.uri).toBe(
        `/v1/repositories/${a.repository.id}`,
      );
      expect(names).toEqual((await listRepositories(h)).map((r) => r.name));
    });

    it("refuses to add by URL on a gateway that does not fetch URLs, and refuses duplicates first", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const existing = unique("cosr");
      await addIndex(h, existing, [indexEntry({ name: word("rc") }, 0)]);
      const before = await listRepositories(h);
      const uri = `https://universe.example.test/${unique("repo")}.json`;

      const disabled = await cosmos(h, cluster.name, "/package/repository/add", { name: unique("new"), uri });
      const body = await cosmosError(disabled, 400, "UnsupportedRepositoryUri");
      expect(body.message).toMatch(/FLOTILLA_ALLOW_REPOSITORY_URLS=true/);

      const taken = await cosmos(h, cluster.name, "/package/repository/add", { name: existing, uri });
      expect((await cosmosError(taken, 400, "RepositoryAlreadyPresent")).message).toBe(
        `Repository name [${existing}] is already present in the list`,
      );
      const far = await cosmos(h, cluster.name, "/package/repository/add", {
        name: unique("new"),
        uri,
        index: 100_000,
      });
      await cosmosError(far, 400, "RepositoryAddIndexOutOfBounds");
      const notUrl = await cosmos(h, cluster.name, "/package/repository/add", {
        name: unique("new"),
        uri: "ftp://x",
      });
      await cosmosError(notUrl, 400, "json_error");
      expect(await listRepositories(h)).toEqual(before);
    });

    it("deletes a repository by name or by URI, and says when there is none", async () => {
      const h = await make();
      const cluster = await newCluster(h);
      const byName = unique("cosr");
      const byUri = unique("cosr");
      const pkg = word("rd");
      await addIndex(h, byName, [indexEntry({ name: pkg }, 0)]);
      const other = await addIndex(h, byUri, [indexEntry({ name: word("re") }, 0)]);

      const left = await call<Repos>(h, cluster.name, "/package/repository/delete", { name: byName });
      expect(left.repositories.map((r) => r.name)).not.toContain(byName);
      await cosmosError(
        await cosmos(h, cluster.name, "/package/describe", { packageName: pkg }),
        400,
        "PackageNotFound",
      );
      const uri = `/v1/repositories/${other.repository.id}`;
      const rest = await call<Repos>(h, cluster.name, "/package/repository/delete", { uri });
      expect(rest.repositories.map((r) => r.name)).not.toContain(byUri);

      const again = await cosmos(h, cluster.name, "/package/repository/delete", { name: byName });
      expect((await cosmosError(again, 400, "RepositoryNotPresent")).message).toBe(
        `Repository name [${byName}] is not present in the list`,
      );
      await cosmosError(
        await cosmos(h, cluster.name, "/package/repository/delete", {}),
        400,
        "RepoNameOrUriMissing",
      );
    });

    it("documents every Cosmos endpoint with the role it needs", async () => {
      const h = await make();
      type Op = { description: string };
      const doc = await h.json<{ paths: Record<string, Record<string, Op>> }>("/openapi.json", {
        token: null,
      });
      const role = (path: string, method = "post") =>
        doc.paths[`/cosmos/clusters/{cluster}${path}`]?.[method]?.description.match(/Role: (\w+)/)?.[1];
      expect({
        search: role("/package/search"),
        describe: role("/package/describe"),
        render: role("/package/render"),
        install: role("/package/install"),
        uninstall: role("/package/uninstall"),
        list: role("/package/list"),
        repositoryAdd: role("/package/repository/add"),
        repositoryDelete: role("/package/repository/delete"),
        serviceDescribe: role("/cosmos/service/describe"),
        serviceUpdate: role("/cosmos/service/update"),
        capabilities: role("/capabilities", "get"),
      }).toEqual({
        search: "viewer",
        describe: "viewer",
        render: "viewer",
        install: "operator",
        uninstall: "operator",
        list: "viewer",
        repositoryAdd: "admin",
        repositoryDelete: "admin",
        serviceDescribe: "viewer",
        serviceUpdate: "operator",
        capabilities: "viewer",
      });
    });
  });
}

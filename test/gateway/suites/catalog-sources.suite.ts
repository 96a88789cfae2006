/**
 * Repository sources below the HTTP layer: fetching a URL only when allowed, with a fake
 * fetch (no test sends traffic anywhere), telling an index from a tree by its bytes, and
 * refusing failed or oversized responses. Runs on Node and in workerd.
 */
import { describe, expect, it } from "vitest";
import {
  loadRepository,
  REPOSITORY_ARCHIVE_LIMITS,
} from "../../../gateway/services/catalog/repository-source.js";
import { packBundle } from "../../../universe/bundle/index.js";
import { indexEntry, treeFiles, word } from "./catalog-fixtures.suite.js";

const URL_ = "https://universe.example/repo/index.json";

function fakeFetch(answer: () => Response) {
  const calls: string[] = [];
  const fn = (async (input: Parameters<typeof fetch>[0]) => {
    calls.push(String(input));
    return answer();
  }) as typeof fetch;
  return { fn, calls };
}

const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error("expected a refusal");
    },
    (e: { code?: string; reason?: string; message: string }) => e,
  );

export function catalogSourcesSuite(): void {
  describe("catalog: repository sources", () => {
    it("never fetches when URLs are not allowed", async () => {
      const { fn, calls } = fakeFetch(() => new Response("{}"));
      const e = await failure(loadRepository({ kind: "url", url: URL_ }, { allowUrls: false, fetch: fn }));
      expect(e).toMatchObject({ code: "BAD_REQUEST", reason: "REPOSITORY_URLS_DISABLED" });
      expect(calls).toEqual([]);
    });

    it("imports a fetched JSON index and remembers where it came from", async () => {
      const pkg = word("url");
      const body = JSON.stringify({ packages: [indexEntry({ name: pkg }, 0)] });
      const { fn, calls } = fakeFetch(
        () =>
          new Response(body, {
            headers: { "content-type": "application/vnd.dcos.universe.repo+json;version=v4" },
          }),
      );
      const loaded = await loadRepository({ kind: "url", url: URL_ }, { allowUrls: true, fetch: fn });
      expect(calls).toEqual([URL_]);
      expect(loaded).toMatchObject({ kind: "universe-index", uri: URL_ });
      expect(loaded.result.packages.map((p) => p.metadata.name)).toEqual([pkg]);
    });

    it("imports a fetched .tgz tree, recognised by its gzip bytes", async () => {
      const pkg = word("urltree");
      const { archive } = await packBundle(treeFiles([{ spec: { name: pkg }, rev: 0 }]));
      const { fn } = fakeFetch(() => new Response(archive as Uint8Array<ArrayBuffer>));
      const loaded = await loadRepository({ kind: "url", url: URL_ }, { allowUrls: true, fetch: fn });
      expect(loaded.kind).toBe("universe-tree");
      expect(loaded.result.packages.map((p) => p.metadata.name)).toEqual([pkg]);
    });

    it("refuses an error answer, an unreachable host, and an unsupported index version", async () => {
      const notFound = fakeFetch(() => new Response("gone", { status: 404, statusText: "Not Found" }));
      const e1 = await failure(
        loadRepository({ kind: "url", url: URL_ }, { allowUrls: true, fetch: notFound.fn }),
      );
      expect(e1).toMatchObject({ reason: "REPOSITORY_FETCH_FAILED" });
      expect(e1.message).toMatch(/404/);

      const down = (async () => {
        throw new TypeError("fetch failed: connection refused");
      }) as typeof fetch;
      const e2 = await failure(loadRepository({ kind: "url", url: URL_ }, { allowUrls: true, fetch: down }));
      expect(e2.message).toMatch(/connection refused/);

      const v2 = fakeFetch(
        () =>
          new Response("{}", {
            headers: { "content-type": "application/vnd.dcos.universe.repo+json;version=v2" },
          }),
      );
      const e3 = await failure(loadRepository({ kind: "url", url: URL_ }, { allowUrls: true, fetch: v2.fn }));
      expect(e3).toMatchObject({ reason: "REPOSITORY_FORMAT_UNSUPPORTED" });
    });

    it("stops reading a response that grows past the repository limit", async () => {
      const chunk = new Uint8Array(1024 * 1024);
      let sent = 0;
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          sent += chunk.byteLength;
          controller.enqueue(chunk);
        },
      });
      const { fn } = fakeFetch(() => new Response(endless));
      const e = await failure(loadRepository({ kind: "url", url: URL_ }, { allowUrls: true, fetch: fn }));
      expect(e).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
      expect(sent).toBeLessThan(REPOSITORY_ARCHIVE_LIMITS.maxArchiveBytes + 8 * chunk.byteLength);
    });
  });
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isUniverseError } from "../../../universe/errors.js";
import type { PackageDefinition, PackageMetadata } from "../../../universe/models/package.js";
import {
  buildSearchIndex,
  type CatalogEntry,
  SCORE,
  searchCosmos,
  searchPackages,
} from "../../../universe/search/index.js";

interface Rev {
  name: string;
  version?: string;
  releaseVersion?: number;
  description?: string;
  tags?: string[];
  selected?: boolean;
  framework?: boolean;
  images?: Record<string, unknown>;
  priority?: number;
  repository?: string;
}

/** One catalog entry with just the fields search reads; everything else is a plain default. */
function rev(r: Rev): CatalogEntry {
  const metadata: PackageMetadata = {
    packagingVersion: "4.0",
    name: r.name,
    version: r.version ?? "1.0.0",
    maintainer: "test@example.com",
    description: r.description ?? `The ${r.name} package`,
    tags: r.tags ?? [],
    ...(r.selected === undefined ? {} : { selected: r.selected }),
    ...(r.framework === undefined ? {} : { framework: r.framework }),
  };
  const definition: PackageDefinition = {
    metadata,
    releaseVersion: r.releaseVersion ?? 0,
    format: "universe",
    templates: {},
    warnings: [],
    ...(r.images ? { resource: { images: r.images } } : {}),
  };
  return {
    definition,
    repositoryPriority: r.priority ?? 0,
    ...(r.repository ? { repository: r.repository } : {}),
  };
}

const names = (rs: readonly { name: string }[]) => rs.map((r) => r.name);

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("searchCosmos", () => {
  const index = buildSearchIndex([
    rev({ name: "hello-world", description: "An Example service", tags: ["Reference"] }),
    rev({ name: "othello", description: "A board game", tags: ["games"] }),
    rev({ name: "kafka", description: "Streaming platform", tags: ["message-queue", "Big-Data"] }),
    rev({ name: "cassandra", description: "Wide column store for big data", tags: ["database"] }),
  ]);

  it("lists every package when the query is absent or empty", () => {
    expect(names(searchCosmos(index))).toEqual(["cassandra", "hello-world", "kafka", "othello"]);
    expect(names(searchCosmos(index, ""))).toEqual(["cassandra", "hello-world", "kafka", "othello"]);
  });

  it("matches a substring of the name, description or a tag, ignoring case", () => {
    expect(names(searchCosmos(index, "HELLO"))).toEqual(["hello-world", "othello"]);
    expect(names(searchCosmos(index, "example"))).toEqual(["hello-world"]);
    expect(names(searchCosmos(index, "refer"))).toEqual(["hello-world"]);
    expect(names(searchCosmos(index, "big"))).toEqual(["cassandra", "kafka"]);
    expect(searchCosmos(index, "nothing-like-this")).toEqual([]);
  });

  it("treats a query with * as a glob over the whole name, description or tag", () => {
    expect(names(searchCosmos(index, "hello*"))).toEqual(["hello-world"]);
    expect(names(searchCosmos(index, "*world"))).toEqual(["hello-world"]);
    expect(names(searchCosmos(index, "*ELLO"))).toEqual(["othello"]);
    expect(names(searchCosmos(index, "ello"))).toEqual(["hello-world", "othello"]);
    expect(searchCosmos(index, "ello*")).toEqual([]);
    expect(names(searchCosmos(index, "big-*"))).toEqual(["kafka"]);
    expect(names(searchCosmos(index, "*column*big*"))).toEqual(["cassandra"]);
    expect(names(searchCosmos(index, "*"))).toHaveLength(4);
  });

  it("lists selected packages first, then by name", () => {
    const featured = buildSearchIndex([
      rev({ name: "zookeeper", tags: ["db"] }),
      rev({ name: "mysql", tags: ["db"], selected: true }),
      rev({ name: "arangodb", tags: ["db"] }),
      rev({ name: "cockroachdb", tags: ["db"], selected: true }),
    ]);
    expect(names(searchCosmos(featured, "db"))).toEqual(["cockroachdb", "mysql", "arangodb", "zookeeper"]);
  });

  it("matches regular-expression characters literally and never throws on them", () => {
    const odd = buildSearchIndex([
      rev({ name: "cpp", description: "Tools for c++ builds", tags: ["a.b"] }),
      rev({ name: "axb", description: "Not (really) related" }),
    ]);
    expect(names(searchCosmos(odd, "c++"))).toEqual(["cpp"]);
    expect(names(searchCosmos(odd, "a.b"))).toEqual(["cpp"]);
    expect(names(searchCosmos(odd, "("))).toEqual(["axb"]);
    expect(names(searchCosmos(odd, "*c++*"))).toEqual(["cpp"]);
    expect(names(searchCosmos(odd, "a.*"))).toEqual(["cpp"]);
    expect(searchCosmos(odd, "a?b*")).toEqual([]);
    expect(names(searchCosmos(odd, "not (*"))).toEqual(["axb"]);
    expect(searchCosmos(odd, "[*")).toEqual([]);
  });
});

describe("buildSearchIndex", () => {
  it("picks the highest releaseVersion as the Cosmos default, without comparing versions as semver", () => {
    const index = buildSearchIndex([
      rev({ name: "hello-world", version: "2.0.0", releaseVersion: 16, description: "old" }),
      rev({ name: "hello-world", version: "0.1.0", releaseVersion: 700, description: "new" }),
      rev({ name: "hello-world", version: "1.0.0", releaseVersion: 1 }),
    ]);
    const [summary] = searchCosmos(index, "hello");
    expect(summary?.currentVersion).toBe("0.1.0");
    expect(summary?.description).toBe("new");
    expect(summary?.versions).toEqual({ "2.0.0": "16", "0.1.0": "700", "1.0.0": "1" });
  });

  it("takes the default from the highest-priority repository that has the package", () => {
    const index = buildSearchIndex([
      rev({ name: "nginx", version: "9.9.9", releaseVersion: 900, priority: 1, repository: "mirror" }),
      rev({ name: "nginx", version: "1.2.0", releaseVersion: 6, priority: 0, repository: "main" }),
      rev({ name: "nginx", version: "1.1.0", releaseVersion: 5, priority: 0, repository: "main" }),
    ]);
    const nginx = index.byName.get("nginx");
    expect(nginx?.summary.currentVersion).toBe("1.2.0");
    expect(nginx?.current.repository).toBe("main");
    expect(nginx?.revisions).toHaveLength(3);
  });

  it("summarises the default revision's tags, flags and images", () => {
    const images = { "icon-small": "https://example.com/s.png" };
    const index = buildSearchIndex([
      rev({ name: "spark", releaseVersion: 1, tags: ["old"] }),
      rev({ name: "spark", releaseVersion: 2, tags: ["Analytics"], selected: true, framework: true, images }),
    ]);
    expect(index.byName.get("spark")?.summary).toMatchObject({
      tags: ["Analytics"],
      selected: true,
      framework: true,
      images,
    });
    expect(index.revisionCount).toBe(2);
  });
});

describe("searchPackages", () => {
  const index = buildSearchIndex([
    rev({ name: "redis", description: "In-memory key-value store", tags: ["cache"] }),
    rev({ name: "redis-exporter", description: "Prometheus metrics", tags: ["monitoring"] }),
    rev({ name: "my-redis-proxy", description: "A proxy", tags: ["proxy"] }),
    rev({ name: "memcached", description: "Memory cache, like redis without persistence", tags: ["cache"] }),
    rev({ name: "keydb", description: "A fast store", tags: ["redis"] }),
    rev({ name: "dragonfly", description: "A modern store", tags: ["redis-compatible", "cache"] }),
  ]);

  it("ranks exact name above name prefix, name substring, tag, tag substring and description", () => {
    const page = searchPackages(index, "Redis");
    expect(names(page.results)).toEqual([
      "redis",
      "redis-exporter",
      "my-redis-proxy",
      "keydb",
      "dragonfly",
      "memcached",
    ]);
    expect(page.results.map((r) => r.score)).toEqual([
      SCORE.nameExact,
      SCORE.namePrefix,
      SCORE.nameSubstring,
      SCORE.tagExact,
      SCORE.tagSubstring,
      SCORE.description,
    ]);
    expect(page.total).toBe(6);
  });

  it("requires every word to match somewhere and adds up their scores", () => {
    const page = searchPackages(index, "cache  redis");
    expect(names(page.results)).toEqual(["redis", "memcached", "dragonfly"]);
    expect(page.results.map((r) => r.score)).toEqual([
      SCORE.tagExact + SCORE.nameExact,
      SCORE.nameSubstring + SCORE.description,
      SCORE.tagExact + SCORE.tagSubstring,
    ]);
    expect(searchPackages(index, "redis nosuchword").total).toBe(0);
  });

  it("breaks ties by selected first, then by name", () => {
    const tied = buildSearchIndex([
      rev({ name: "beta", tags: ["db"] }),
      rev({ name: "zeta", tags: ["db"], selected: true }),
      rev({ name: "alpha", tags: ["db"] }),
    ]);
    expect(names(searchPackages(tied, "db").results)).toEqual(["zeta", "alpha", "beta"]);
  });

  it("lists everything with score 0 for an empty query", () => {
    const page = searchPackages(index, "  ");
    expect(page.total).toBe(6);
    expect(page.results.every((r) => r.score === 0)).toBe(true);
  });

  it("accepts glob words and matches regex characters literally", () => {
    expect(names(searchPackages(index, "redis-*").results)).toEqual(["redis-exporter", "dragonfly"]);
    expect(searchPackages(index, "c++").total).toBe(0);
    expect(searchPackages(index, "(").total).toBe(0);
    expect(searchPackages(index, "a.b").total).toBe(0);
  });

  it("pages through the ranking with the same order as one big page", () => {
    const many = buildSearchIndex(
      Array.from({ length: 250 }, (_, i) =>
        rev({
          name: `pkg-${String(i).padStart(3, "0")}`,
          tags: i % 3 === 0 ? ["store"] : [],
          description: "a store",
        }),
      ),
    );
    const all = [0, 1, 2, 3].flatMap(
      (p) => searchPackages(many, "store", { limit: 100, offset: p * 100 }).results,
    );
    expect(all).toHaveLength(250);
    const small = searchPackages(many, "store", { limit: 7, offset: 14 });
    expect(small.total).toBe(250);
    expect(names(small.results)).toEqual(names(all.slice(14, 21)));
    expect(names(all.slice(0, 2))).toEqual(["pkg-000", "pkg-003"]);
    expect(searchPackages(many, "store", { offset: 1000 }).results).toEqual([]);
  });

  it("defaults to 20 results per page", () => {
    const many = buildSearchIndex(Array.from({ length: 30 }, (_, i) => rev({ name: `pkg-${i}x` })));
    expect(searchPackages(many, "pkg").results).toHaveLength(20);
  });

  it.each([
    { limit: 0 },
    { limit: 101 },
    { limit: 1.5 },
    { limit: Number.NaN },
    { offset: -1 },
    { offset: 0.5 },
  ])("rejects the page %o as INVALID_ARGUMENT", (page) => {
    const e = catchError(() => searchPackages(index, "redis", page));
    expect(isUniverseError(e) && e.code).toBe("INVALID_ARGUMENT");
  });
});

describe("searchPackages against a full scan", () => {
  // The reference: the ranking rules applied to every package, no index. Small alphabets make
  // shared trigrams, near misses and short words common.
  const scoreWord = (word: string, name: string, tags: string[], description: string): number => {
    const whole = (glob: string, text: string) =>
      new RegExp(`^${glob.split("*").map(escapeRegExp).join("[\\s\\S]*")}$`).test(text);
    if (word.includes("*")) {
      if (whole(word, name)) return SCORE.namePrefix;
      if (tags.some((t) => whole(word, t))) return SCORE.tagExact;
      return whole(word, description) ? SCORE.description : 0;
    }
    if (name === word) return SCORE.nameExact;
    if (name.startsWith(word)) return SCORE.namePrefix;
    if (name.includes(word)) return SCORE.nameSubstring;
    if (tags.includes(word)) return SCORE.tagExact;
    if (tags.some((t) => t.includes(word))) return SCORE.tagSubstring;
    return description.includes(word) ? SCORE.description : 0;
  };
  const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

  it("finds exactly what scoring every package finds, in the same order", () => {
    const text = fc.string({ unit: fc.constantFrom("a", "b", "c", "-", " "), minLength: 1, maxLength: 12 });
    const packageName = fc.string({ unit: fc.constantFrom("a", "b", "c", "-"), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({ name: packageName, description: text, tags: fc.array(text, { maxLength: 3 }) }),
          { selector: (p) => p.name, minLength: 1, maxLength: 30 },
        ),
        fc.array(fc.string({ unit: fc.constantFrom("a", "b", "c", "-", "*"), minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 3,
        }),
        (pkgs, words) => {
          const index = buildSearchIndex(pkgs.map((p) => rev(p)));
          const got = searchPackages(index, words.join(" "), { limit: 100 });
          const expected = pkgs
            .map((p) => {
              const scores = words.map((w) => scoreWord(w, p.name, p.tags, p.description));
              return { name: p.name, score: scores.includes(0) ? 0 : scores.reduce((a, b) => a + b, 0) };
            })
            .filter((p) => p.score > 0)
            .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
          expect(got.total).toBe(expected.length);
          expect(got.results.map((r) => [r.name, r.score])).toEqual(expected.map((e) => [e.name, e.score]));
        },
      ),
      { numRuns: 500 },
    );
  });
});

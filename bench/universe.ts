/**
 * Benchmark of the package universe: how fast a built Universe JSON index imports, and how
 * fast search answers over it. The catalog is synthetic but shaped like the real Universe
 * (sparse revisions, ~13% non-semver versions, config.json with defaults, a ~1 KB
 * base64 marathon template) and generated from a fixed seed, so every run sees the same data
 * (bench/synthetic-universe.ts, shared with bench/gateway.ts).
 *
 * Run: `npm run bench:universe`. Prints one JSON line; see bench/README.md for the goals.
 */
import { performance } from "node:perf_hooks";
import { importUniverseIndex } from "../universe/import/index.js";
import { buildSearchIndex, searchCosmos, searchPackages } from "../universe/search/index.js";
import { syntheticUniverse } from "./synthetic-universe.js";

const IMPORT_RUNS = 5;
const QUERIES = 1_000;
const WARMUP_QUERIES = 200;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function timeQueries(queries: string[], run: (q: string) => unknown): number[] {
  for (const q of queries.slice(0, WARMUP_QUERIES)) run(q);
  const times = queries.map((q) => {
    const start = performance.now();
    run(q);
    return performance.now() - start;
  });
  return times.sort((a, b) => a - b);
}

function main(): void {
  const synthetic = syntheticUniverse();
  const names = synthetic.packageNames();
  const index = synthetic.universeIndex(names);
  const revisions = index.packages.length;

  let imported = importUniverseIndex(index);
  if (imported.failures.length > 0) {
    throw new Error(
      `synthetic index did not import cleanly: ${JSON.stringify(imported.failures.slice(0, 3))}`,
    );
  }
  const importMs: number[] = [];
  for (let i = 0; i < IMPORT_RUNS; i++) {
    const start = performance.now();
    imported = importUniverseIndex(index);
    importMs.push(performance.now() - start);
  }

  const search = buildSearchIndex(
    imported.packages.map((definition) => ({ definition, repositoryPriority: 0 })),
  );
  const queries = synthetic.queryMix(names, QUERIES);
  const ranked = timeQueries(queries, (q) => searchPackages(search, q));
  const cosmos = timeQueries(queries, (q) => searchCosmos(search, q));

  const line = {
    bench: "universe",
    revisions,
    importPerSecond: Math.round(revisions / (median(importMs) / 1000)),
    searchP50Ms: round(percentile(ranked, 50), 4),
    searchP99Ms: round(percentile(ranked, 99), 4),
    cosmosSearchP99Ms: round(percentile(cosmos, 99), 4),
    rssMb: round(process.memoryUsage().rss / 2 ** 20, 1),
  };
  console.log(JSON.stringify(line));
}

main();

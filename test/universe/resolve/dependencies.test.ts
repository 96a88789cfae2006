// Dependency resolution: one version per reachable package, every range satisfied, newest
// preferred, dependencies before dependents — checked on examples and against brute force.
import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { UniverseError } from "../../../universe/errors.js";
import {
  type ResolveOptions,
  type ResolveRoot,
  type ResolverCatalog,
  type ResolverPackage,
  resolveDependencies,
} from "../../../universe/resolve/index.js";

/** name → version → dependencies. */
type Graph = Record<string, Record<string, Record<string, string>>>;

interface Pkg extends ResolverPackage {
  id: string;
}

function catalogOf(graph: Graph): ResolverCatalog<Pkg> {
  const byName = new Map(
    Object.entries(graph).map(([name, versions]) => [
      name,
      Object.entries(versions).map(([version, dependencies]) => ({
        name,
        version,
        dependencies,
        id: `${name}@${version}`,
      })),
    ]),
  );
  return { versionsOf: (name) => byName.get(name) ?? [] };
}

const resolveIds = (graph: Graph, root: ResolveRoot, options?: ResolveOptions): string[] =>
  resolveDependencies(catalogOf(graph), root, options).packages.map((p) => p.id);

function thrown(fn: () => unknown): UniverseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UniverseError) return e;
    throw e;
  }
  throw new Error("expected a UniverseError, nothing was thrown");
}

describe("resolveDependencies", () => {
  it("returns a package without dependencies on its own, newest first", () => {
    expect(resolveIds({ app: { "1.0.0": {}, "1.3.0": {}, "1.2.0": {} } }, { name: "app" })).toEqual([
      "app@1.3.0",
    ]);
  });

  it("honours the root's range", () => {
    const graph = { app: { "1.0.0": {}, "1.3.0": {}, "2.0.0": {} } };
    expect(resolveIds(graph, { name: "app", range: "~1.0" })).toEqual(["app@1.0.0"]);
    expect(resolveIds(graph, { name: "app", range: "latest" })).toEqual(["app@2.0.0"]);
  });

  it("installs a chain deepest first with the newest version each range allows", () => {
    const graph: Graph = {
      app: { "1.0.0": { db: "^1.0" } },
      db: { "1.0.0": { storage: "~2.0" }, "1.4.0": { storage: "~2.0" }, "2.0.0": {} },
      storage: { "2.0.0": {}, "2.0.3": {}, "2.1.0": {} },
    };
    expect(resolveIds(graph, { name: "app" })).toEqual(["storage@2.0.3", "db@1.4.0", "app@1.0.0"]);
  });

  it("chooses one version of a diamond's shared dependency that satisfies both sides", () => {
    const graph: Graph = {
      app: { "1.0.0": { left: "^1", right: "^1" } },
      left: { "1.0.0": { base: ">=1.2" } },
      right: { "1.0.0": { base: "<1.5" } },
      base: { "1.0.0": {}, "1.2.0": {}, "1.4.9": {}, "1.5.0": {}, "2.0.0": {} },
    };
    const ids = resolveIds(graph, { name: "app" });
    expect(ids).toEqual(["base@1.4.9", "left@1.0.0", "right@1.0.0", "app@1.0.0"]);
  });

  it("backtracks to an older root when the newest one's dependencies cannot be met", () => {
    const graph: Graph = {
      app: { "2.0.0": { db: "^3" }, "1.0.0": { db: "^1" } },
      db: { "1.0.0": {}, "2.0.0": {} },
    };
    expect(resolveIds(graph, { name: "app" })).toEqual(["db@1.0.0", "app@1.0.0"]);
  });

  it("backtracks inside the graph when an early choice clashes with a later range", () => {
    const graph: Graph = {
      app: { "1.0.0": { a: "*", b: "*" } },
      a: { "2.0.0": { c: "^2" }, "1.0.0": { c: "^1" } },
      b: { "1.0.0": { c: "^1" } },
      c: { "1.0.0": {}, "1.1.0": {}, "2.0.0": {} },
    };
    expect(resolveIds(graph, { name: "app" })).toEqual(["c@1.1.0", "a@1.0.0", "b@1.0.0", "app@1.0.0"]);
  });

  it("matches a dependency on an opaque version by its exact string", () => {
    const graph: Graph = {
      app: { "1.0.0": { legacy: "0.3.16.4", tools: "3.1.x" } },
      legacy: { "0.3.16.4": {}, "0.3.17": {} },
      tools: { "3.1.x": {}, "3.2.5": {} },
    };
    expect(resolveIds(graph, { name: "app" })).toEqual(["legacy@0.3.16.4", "tools@3.1.x", "app@1.0.0"]);
  });

  it("lets repaired versions satisfy ranges", () => {
    const graph: Graph = { app: { "1.0.0": { db: "^2" } }, db: { "1.0": {}, "2.0": {} } };
    expect(resolveIds(graph, { name: "app" })).toEqual(["db@2.0", "app@1.0.0"]);
  });

  it("leaves prereleases out unless a range names one or they are included", () => {
    const graph: Graph = { app: { "1.0.0": { db: "^1.0.0" } }, db: { "1.0.0": {}, "1.1.0-beta.1": {} } };
    expect(resolveIds(graph, { name: "app" })).toEqual(["db@1.0.0", "app@1.0.0"]);
    expect(resolveIds(graph, { name: "app" }, { includePrerelease: true })).toEqual([
      "db@1.1.0-beta.1",
      "app@1.0.0",
    ]);
    expect(resolveIds({ app: { "1.5.0": {}, "2.0.0-rc.1": {} } }, { name: "app" })).toEqual(["app@1.5.0"]);
  });

  it("returns the catalog's own objects", () => {
    const catalog = catalogOf({ app: { "1.0.0": {} } });
    expect(resolveDependencies(catalog, { name: "app" }).packages[0]).toBe(catalog.versionsOf("app")[0]);
  });

  it("names every package and range that clash in a conflict", () => {
    const graph: Graph = {
      app: { "1.0.0": { db: "^1.0", cache: "^2" } },
      cache: { "2.1.0": { db: "^2.0" } },
      db: { "1.0.0": {}, "1.4.0": {}, "2.0.0": {} },
    };
    const error = thrown(() => resolveIds(graph, { name: "app" }));
    expect(error.code).toBe("DEPENDENCY_CONFLICT");
    expect(error.message).toBe(
      "No version of [db] satisfies every requirement: app@1.0.0 requires ^1.0, cache@2.1.0 requires ^2.0 (available: 1.0.0, 1.4.0, 2.0.0)",
    );
    expect(error.details?.requirements).toEqual([
      { requiredBy: "app@1.0.0", range: "^1.0" },
      { requiredBy: "cache@2.1.0", range: "^2.0" },
    ]);
  });

  it("reports a clash with the request itself as the request's requirement", () => {
    const graph: Graph = { app: { "1.0.0": { db: "^1" } }, db: { "1.0.0": { app: "^2" } } };
    // A cycle comes first here; without the back edge the clash is between request and package.
    expect(thrown(() => resolveIds(graph, { name: "app" })).code).toBe("DEPENDENCY_CYCLE");
    const noCycle: Graph = {
      app: { "1.0.0": { db: "^1", lib: "*" } },
      lib: { "1.0.0": { db: "^2" } },
      db: { "1.0.0": {}, "2.0.0": {} },
    };
    const error = thrown(() => resolveIds(noCycle, { name: "app" }));
    expect(error.message).toContain("app@1.0.0 requires ^1, lib@1.0.0 requires ^2");
  });

  it("reports a dependency cycle even when every range could be met", () => {
    const graph: Graph = { a: { "1.0.0": { b: "^2" } }, b: { "2.0.0": { a: "^1" } } };
    const error = thrown(() => resolveIds(graph, { name: "a" }));
    expect(error.code).toBe("DEPENDENCY_CYCLE");
    expect(error.message).toContain("a@1.0.0 → b@2.0.0 → a");
    expect(error.details?.cycle).toEqual(["a@1.0.0", "b@2.0.0", "a"]);
  });

  it("reports a package that depends on itself as a cycle", () => {
    const error = thrown(() => resolveIds({ a: { "1.0.0": { a: "*" } } }, { name: "a" }));
    expect(error.code).toBe("DEPENDENCY_CYCLE");
    expect(error.message).toContain("a@1.0.0 → a");
  });

  it("escapes a cycle by choosing a version that does not close it", () => {
    const graph: Graph = { a: { "1.0.0": { b: "*" } }, b: { "2.0.0": { a: "*" }, "1.0.0": {} } };
    expect(resolveIds(graph, { name: "a" })).toEqual(["b@1.0.0", "a@1.0.0"]);
  });

  it("names who required a package that does not exist", () => {
    const error = thrown(() => resolveIds({ app: { "1.0.0": { ghost: "^1" } } }, { name: "app" }));
    expect(error.code).toBe("PACKAGE_NOT_FOUND");
    expect(error.message).toBe("Package [ghost] not found (app@1.0.0 requires ^1)");
  });

  it("avoids a missing package when an older version does not need it", () => {
    const graph: Graph = { app: { "2.0.0": { ghost: "^1" }, "1.0.0": {} } };
    expect(resolveIds(graph, { name: "app" })).toEqual(["app@1.0.0"]);
  });

  it("rejects a bad request the way version selection does", () => {
    const graph: Graph = { app: { "1.0.0": {}, "1.2.0": {} } };
    expect(thrown(() => resolveIds(graph, { name: "nope" })).message).toBe("Package [nope] not found");
    const notFound = thrown(() => resolveIds(graph, { name: "app", range: "^9" }));
    expect(notFound.code).toBe("VERSION_NOT_FOUND");
    expect(notFound.message).toBe('No version of [app] matches "^9" (available: 1.0.0, 1.2.0)');
    expect(thrown(() => resolveIds(graph, { name: "app", range: "banana" })).code).toBe("INVALID_ARGUMENT");
  });

  it("gives up with a clear error once the step budget is spent", () => {
    const graph: Graph = {
      app: { "1.0.0": { a: "*", b: "*" } },
      a: { "3.0.0": { b: "^1" }, "2.0.0": { b: "^1" }, "1.0.0": { b: "^2" } },
      b: { "2.0.0": {}, "1.0.0": { c: "*" } },
      c: {},
    };
    const error = thrown(() => resolveIds(graph, { name: "app" }, { maxSteps: 3 }));
    expect(error.code).toBe("DEPENDENCY_CONFLICT");
    expect(error.message).toContain("Gave up resolving the dependencies of [app] after 3 attempts");
    expect(resolveIds(graph, { name: "app" })).toEqual(["b@2.0.0", "a@1.0.0", "app@1.0.0"]);
  });
});

// ---- Property tests against a brute-force enumerator ------------------------------------------

const VERSIONS = ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "2.1.0", "3.0.0"];
// Permissive ranges come twice so that larger graphs are often solvable.
const RANGES = [
  "*",
  "*",
  ">=1.1.0",
  ">=1.1.0",
  "<3.0.0",
  "<3.0.0",
  "^1.0.0",
  "~1.1.0",
  "<2.0.0",
  "^2.0.0",
  ">=2.0.0 <3.0.0",
  "1.0.0",
  "3.0.0",
  "1.x || 3.x",
];

/**
 * A random catalog of p0…p(n-1), p0 being the root. Dependencies mostly point "down" (to a later
 * package), which keeps most graphs acyclic; now and then they point anywhere (cycles, self
 * loops) or at a package that does not exist.
 */
const randomGraph = fc.constantFrom(1, 2, 3, 3, 4, 4, 5, 5, 5).chain((n) => {
  const names = Array.from({ length: n }, (_, i) => `p${i}`);
  const depsOf = (i: number) => {
    const later = names.slice(i + 1);
    const target = fc.oneof(
      ...(later.length > 0 ? [{ weight: 20, arbitrary: fc.constantFrom(...later) }] : []),
      { weight: 1, arbitrary: fc.constantFrom(...names) },
      { weight: 1, arbitrary: fc.constant("ghost") },
    );
    return fc
      .uniqueArray(fc.record({ to: target, range: fc.constantFrom(...RANGES) }), {
        selector: (d) => d.to,
        // Without a lower bound most versions would have no dependencies at all.
        minLength: later.length > 0 ? 1 : 0,
        maxLength: later.length > 0 ? 3 : 1,
      })
      .map((list) => Object.fromEntries(list.map((d) => [d.to, d.range])));
  };
  const versionsOf = (i: number) =>
    fc
      .uniqueArray(fc.constantFrom(...VERSIONS), { minLength: 1, maxLength: 4 })
      .chain((vs) =>
        fc.tuple(...vs.map((v) => depsOf(i).map((d): [string, Record<string, string>] => [v, d]))),
      )
      .map((entries) => Object.fromEntries(entries));
  return fc
    .tuple(...names.map((name, i) => versionsOf(i).map((v): [string, Graph[string]] => [name, v])))
    .map((entries): Graph => Object.fromEntries(entries));
});

const rootRange = fc.option(fc.constantFrom(...RANGES), { nil: undefined, freq: 2 });

/** name → version of a complete choice. */
type Choice = Map<string, string>;

/** Names reachable from the root when each package is at its chosen version (null if one has no choice). */
function reachable(graph: Graph, choice: Choice, root: string): Set<string> | null {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name)) continue;
    const version = choice.get(name);
    if (version === undefined) return null;
    seen.add(name);
    stack.push(...Object.keys(graph[name]![version]!));
  }
  return seen;
}

function hasCycle(graph: Graph, choice: Choice): boolean {
  const state = new Map<string, "open" | "done">();
  const visit = (name: string): boolean => {
    if (state.get(name) === "done") return false;
    if (state.get(name) === "open") return true;
    state.set(name, "open");
    const deps = Object.keys(graph[name]![choice.get(name)!]!);
    if (deps.some((dep) => choice.has(dep) && visit(dep))) return true;
    state.set(name, "done");
    return false;
  };
  return [...choice.keys()].some(visit);
}

/**
 * A valid choice: the root has a version within the request's range; the chosen packages are
 * exactly those reachable from the root through the chosen versions' dependencies (so every
 * dependency exists and has a version); every dependency range of every chosen package holds;
 * and the chosen packages form no cycle.
 */
function isValid(graph: Graph, choice: Choice, root: string, range: string | undefined): boolean {
  const rootVersion = choice.get(root);
  if (rootVersion === undefined || (range !== undefined && !semver.satisfies(rootVersion, range)))
    return false;
  const names = reachable(graph, choice, root);
  if (names === null || names.size !== choice.size) return false;
  for (const [name, version] of choice) {
    for (const [dep, depRange] of Object.entries(graph[name]![version]!)) {
      if (!semver.satisfies(choice.get(dep)!, depRange)) return false;
    }
  }
  return !hasCycle(graph, choice);
}

/** Every valid choice, by trying each package at each of its versions or left out. */
function bruteForce(graph: Graph, root: string, range: string | undefined): Choice[] {
  const names = Object.keys(graph);
  const valid: Choice[] = [];
  const assign = (i: number, choice: Choice) => {
    if (i === names.length) {
      if (isValid(graph, choice, root, range)) valid.push(new Map(choice));
      return;
    }
    const name = names[i]!;
    assign(i + 1, choice);
    for (const version of Object.keys(graph[name]!)) {
      choice.set(name, version);
      assign(i + 1, choice);
      choice.delete(name);
    }
  };
  assign(0, new Map());
  return valid;
}

function tryResolve(graph: Graph, range: string | undefined): Pkg[] | UniverseError {
  try {
    return resolveDependencies(catalogOf(graph), { name: "p0", range }).packages;
  } catch (e) {
    if (e instanceof UniverseError) return e;
    throw e;
  }
}

describe("resolveDependencies on random small graphs", () => {
  it("returns each reachable package exactly once, every range satisfied, dependencies first", () => {
    fc.assert(
      fc.property(randomGraph, rootRange, (graph, range) => {
        const result = tryResolve(graph, range);
        if (result instanceof UniverseError) return;
        const choice: Choice = new Map(result.map((p) => [p.name, p.version]));
        expect(choice.size).toBe(result.length);
        expect(reachable(graph, choice, "p0")).toEqual(new Set(choice.keys()));
        expect(result.at(-1)?.name).toBe("p0");
        if (range !== undefined) expect(semver.satisfies(choice.get("p0")!, range)).toBe(true);
        const position = new Map(result.map((p, i) => [p.name, i]));
        for (const [i, pkg] of result.entries()) {
          for (const [dep, depRange] of Object.entries(pkg.dependencies)) {
            expect(semver.satisfies(choice.get(dep)!, depRange)).toBe(true);
            expect(position.get(dep)!).toBeLessThan(i);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("finds a valid choice exactly when brute force does, and otherwise says why", () => {
    fc.assert(
      fc.property(randomGraph, rootRange, (graph, range) => {
        const solutions = bruteForce(graph, "p0", range);
        const result = tryResolve(graph, range);
        if (solutions.length > 0) {
          expect(result).not.toBeInstanceOf(UniverseError);
          const choice: Choice = new Map((result as Pkg[]).map((p) => [p.name, p.version]));
          expect(solutions).toContainEqual(choice);
          // Root versions are tried newest first and the search below each is complete.
          const best = solutions.map((s) => s.get("p0")!).sort(semver.rcompare)[0];
          expect(choice.get("p0")).toBe(best);
        } else {
          expect(result).toBeInstanceOf(UniverseError);
          const error = result as UniverseError;
          const rootMatches = Object.keys(graph.p0!).some(
            (v) => range === undefined || semver.satisfies(v, range),
          );
          const expected = rootMatches
            ? ["DEPENDENCY_CONFLICT", "DEPENDENCY_CYCLE", "PACKAGE_NOT_FOUND"]
            : ["VERSION_NOT_FOUND"];
          expect(expected).toContain(error.code);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// Choosing one revision: Cosmos's releaseVersion rule for old clients, Flotilla's semver rule
// ("latest", exact versions, ranges) for everything else.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import { UniverseError } from "../../../universe/errors.js";
import {
  cosmosDefaultVersion,
  selectVersion,
  type VersionCandidate,
} from "../../../universe/versions/index.js";
import { SAMPLE_REPO } from "../../helpers/sample.js";

interface Revision extends VersionCandidate {
  id: string;
}

/** Revisions of one package; each gets an id so tests can tell equal versions apart. */
function revisions(
  ...specs: [version: string, releaseVersion: number, repositoryPriority?: number][]
): Revision[] {
  return specs.map(([version, releaseVersion, repositoryPriority = 0]) => ({
    version,
    releaseVersion,
    repositoryPriority,
    id: `${version}@r${releaseVersion}/p${repositoryPriority}`,
  }));
}

function thrown(fn: () => unknown): UniverseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UniverseError) return e;
    throw e;
  }
  throw new Error("expected a UniverseError, nothing was thrown");
}

describe("cosmosDefaultVersion", () => {
  it("takes the highest releaseVersion without comparing version strings", () => {
    const cands = revisions(["2.0.0", 16], ["0.1.0", 700], ["1.0.0", 100]);
    expect(cosmosDefaultVersion(cands).id).toBe("0.1.0@r700/p0");
  });

  it("only looks at the highest-priority repository that has the package", () => {
    const cands = revisions(["9.0.0", 900, 1], ["1.0.0", 3, 0], ["1.1.0", 4, 0], ["5.0.0", 1000, 2]);
    expect(cosmosDefaultVersion(cands).id).toBe("1.1.0@r4/p0");
  });

  it("returns the caller's own object", () => {
    const cands = revisions(["1.0.0", 0]);
    expect(cosmosDefaultVersion(cands)).toBe(cands[0]);
  });

  it("reports a package with no revisions as not found", () => {
    const error = thrown(() => cosmosDefaultVersion([], "ghost"));
    expect(error.code).toBe("PACKAGE_NOT_FOUND");
    expect(error.message).toBe("Package [ghost] not found");
  });
});

describe("selectVersion without a request", () => {
  const cands = revisions(
    ["1.0.0", 0],
    ["1.2.0", 1],
    ["3.0.0-beta.1", 2],
    ["v9.0.0", 3],
    ["0.3.16.4", 4],
    ["1.1.0", 5],
  );

  it("picks the highest strict, stable semver version regardless of releaseVersion", () => {
    expect(selectVersion(cands).id).toBe("1.2.0@r1/p0");
    expect(selectVersion(cands, "latest").id).toBe("1.2.0@r1/p0");
    expect(selectVersion(cands, "  ").id).toBe("1.2.0@r1/p0");
  });

  it("lets a prerelease be latest when prereleases are included", () => {
    expect(selectVersion(cands, "latest", { includePrerelease: true }).id).toBe("3.0.0-beta.1@r2/p0");
  });

  it("falls back to Cosmos's rule when no version is stable strict semver", () => {
    const odd = revisions(["3.1.x", 5], ["v0.4.0-beta", 6], ["6.0.0rc1", 3], ["2.1.0-0.31.2", 1]);
    expect(selectVersion(odd).id).toBe("v0.4.0-beta@r6/p0");
  });

  it("breaks a tie between equal versions by repository priority, then releaseVersion", () => {
    const dup = revisions(["2.0.0", 1, 1], ["2.0.0", 7, 0], ["2.0.0", 9, 1], ["2.0.0", 3, 0]);
    expect(selectVersion(dup).id).toBe("2.0.0@r7/p0");
  });
});

describe("selectVersion with an exact version", () => {
  it("takes the revision whose string matches, even when the string also reads as a range", () => {
    const cands = revisions(["3.1.x", 0], ["3.1.5", 1]);
    expect(selectVersion(cands, "3.1.x").id).toBe("3.1.x@r0/p0");
  });

  it("finds opaque versions that are not ranges at all", () => {
    const cands = revisions(["0.3.16.4", 0], ["1.12-patch.0", 1], ["6.0.0rc1", 2]);
    expect(selectVersion(cands, "0.3.16.4").id).toBe("0.3.16.4@r0/p0");
    expect(selectVersion(cands, "6.0.0rc1").id).toBe("6.0.0rc1@r2/p0");
  });

  it("prefers the highest-priority repository, then the highest releaseVersion", () => {
    const cands = revisions(["1.0.0", 9, 2], ["1.0.0", 4, 1], ["1.0.0", 5, 1]);
    expect(selectVersion(cands, "1.0.0").id).toBe("1.0.0@r5/p1");
  });
});

describe("selectVersion with a range", () => {
  const cands = revisions(
    ["1.0.0", 0],
    ["1.2.0", 1],
    ["1.2.7", 2],
    ["1.9.0", 3],
    ["2.0.1", 4],
    ["2.0.4", 5],
    ["2.1.0", 6],
    ["3.0.0", 7],
    ["3.5.0", 8],
    ["4.0.0-rc.1", 9],
  );

  it.each([
    ["^1.2", "1.9.0"],
    ["~1.2.0", "1.2.7"],
    ["~2.0.1", "2.0.4"],
    [">=3 <4", "3.5.0"],
    ["1.x", "1.9.0"],
    ["*", "3.5.0"],
    ["<2", "1.9.0"],
  ])("resolves %s to the highest matching version, %s", (range, expected) => {
    expect(selectVersion(cands, range).version).toBe(expected);
  });

  it("skips prereleases unless the range names one or they are included", () => {
    expect(selectVersion(cands, ">=3").version).toBe("3.5.0");
    expect(selectVersion(cands, ">=4.0.0-rc.0").version).toBe("4.0.0-rc.1");
    expect(selectVersion(cands, ">=3", { includePrerelease: true }).version).toBe("4.0.0-rc.1");
  });

  it("lets repaired versions satisfy a range and prefers the strict one on a tie", () => {
    const loose = revisions(["2.0", 0], ["1.5.0", 1], ["v2.0.0", 2], ["2.0.0", 3]);
    expect(selectVersion(loose, "^2").id).toBe("2.0.0@r3/p0");
    expect(selectVersion(revisions(["2.0", 0], ["1.5.0", 1]), "^2").id).toBe("2.0@r0/p0");
  });

  it("says which versions exist when nothing matches", () => {
    const error = thrown(() =>
      selectVersion(revisions(["1.0.0", 0], ["2.0.0", 2], ["1.2.0", 1]), "^3", { packageName: "nginx" }),
    );
    expect(error.code).toBe("VERSION_NOT_FOUND");
    expect(error.message).toBe('No version of [nginx] matches "^3" (available: 1.0.0, 1.2.0, 2.0.0)');
    expect(error.details).toMatchObject({
      package: "nginx",
      request: "^3",
      available: ["1.0.0", "1.2.0", "2.0.0"],
    });
  });

  it("rejects a request that is neither a version nor a range", () => {
    const error = thrown(() =>
      selectVersion(revisions(["0.3.16.4", 0]), "0.3.16.5", { packageName: "kafka" }),
    );
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.message).toContain('"0.3.16.5" is neither a version of [kafka] nor a valid semver range');
    expect(error.message).toContain("(available: 0.3.16.4)");
  });

  it("keeps the list of available versions short for packages with many revisions", () => {
    const many = revisions(...Array.from({ length: 30 }, (_, i): [string, number] => [`1.${i}.0`, i]));
    const error = thrown(() => selectVersion(many, "^2", { packageName: "big" }));
    expect(error.message).toContain("1.29.0 (30 in all)");
    expect(error.message).not.toContain("1.9.0,");
    expect(error.details?.available).toHaveLength(30);
  });

  it("reports a package with no revisions as not found", () => {
    expect(thrown(() => selectVersion([], "^1", { packageName: "ghost" })).code).toBe("PACKAGE_NOT_FOUND");
  });

  it("always returns a satisfying candidate that no other satisfying candidate outranks", () => {
    const pool = ["0.9.0", "1.0.0", "1.0.1", "1.4.0", "2.0.0", "2.0.0-rc.1", "2.3.1", "3.0.0", "10.0.0"];
    const ranges = ["^1", "~1.0.0", ">=2", "<2.0.0", "1.x || 3.x", ">=2.0.0-rc.0 <2.1", "*", "^10"];
    const candidates = fc.array(
      fc.record({
        version: fc.constantFrom(...pool),
        releaseVersion: fc.nat(50),
        repositoryPriority: fc.nat(2),
      }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(candidates, fc.constantFrom(...ranges), (cands, range) => {
        const matching = cands.filter((c) => semver.satisfies(c.version, range));
        if (matching.length === 0) {
          expect(() => selectVersion(cands, range)).toThrow(/No version/);
          return;
        }
        const chosen = selectVersion(cands, range);
        expect(matching).toContain(chosen);
        for (const other of matching) {
          expect(semver.gte(chosen.version, other.version)).toBe(true);
          if (semver.eq(chosen.version, other.version)) {
            expect(chosen.repositoryPriority).toBeLessThanOrEqual(other.repositoryPriority);
          }
        }
      }),
    );
  });
});

describe("the two rules on the real hello-world revisions", () => {
  const dir = join(SAMPLE_REPO, "packages/H/hello-world");
  const cands = [0, 1, 16, 100, 700].map((releaseVersion) => ({
    version: JSON.parse(readFileSync(`${dir}/${releaseVersion}/package.json`, "utf8")).version as string,
    releaseVersion,
    repositoryPriority: 0,
  }));

  it("gives Cosmos clients the newest revision, 3.2.0-0.57.3", () => {
    expect(cosmosDefaultVersion(cands).releaseVersion).toBe(700);
  });

  it("reads the SDK's a.b.c-x.y.z versions as semver prereleases, so Flotilla's latest is the stable 1.0.0", () => {
    // A consequence of following semver: `2.1.0-0.31.2` is a prerelease of 2.1.0.
    expect(selectVersion(cands)).toMatchObject({ version: "1.0.0", releaseVersion: 1 });
    expect(selectVersion(cands, "latest", { includePrerelease: true }).releaseVersion).toBe(700);
    // semver lets a range's prerelease comparator admit prereleases of that one x.y.z only.
    expect(selectVersion(cands, ">=2.1.0-0 <3").version).toBe("2.1.0-0.31.2");
    expect(selectVersion(cands, "^2.1.0", { includePrerelease: true }).version).toBe("2.1.1-0.40.0");
    expect(() => selectVersion(cands, "^2.1.0")).toThrow(/No version of the package matches "\^2.1.0"/);
  });
});

// Version changes of an installed package: Cosmos's upgradesFrom / downgradesTo rule for
// Universe packages (checked on real hello-world revisions) and Flotilla's more permissive rule.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UniverseError } from "../../../universe/errors.js";
import {
  assertVersionChange,
  checkVersionChange,
  downgradesTo,
  upgradesTo,
  type VersionChangeSide,
} from "../../../universe/versions/index.js";
import { SAMPLE_REPO } from "../../helpers/sample.js";

const PACKAGES = join(SAMPLE_REPO, "packages");

/** One real revision of the sample repository as a version-change side. */
function realRevision(path: string, releaseVersion: number): VersionChangeSide & { releaseVersion: number } {
  const metadata = JSON.parse(
    readFileSync(join(PACKAGES, path, String(releaseVersion), "package.json"), "utf8"),
  );
  return {
    version: metadata.version,
    packagingVersion: metadata.packagingVersion,
    upgradesFrom: metadata.upgradesFrom,
    downgradesTo: metadata.downgradesTo,
    format: "universe",
    releaseVersion,
  };
}

const universe = (version: string, lists: Partial<VersionChangeSide> = {}): VersionChangeSide => ({
  version,
  packagingVersion: "4.0",
  format: "universe",
  ...lists,
});

const flotilla = (version: string, lists: Partial<VersionChangeSide> = {}): VersionChangeSide => ({
  version,
  packagingVersion: "flotilla/1",
  format: "flotilla",
  ...lists,
});

describe("checkVersionChange on the real hello-world revisions", () => {
  const [r0, r1, r16, r100, r700] = [0, 1, 16, 100, 700].map((rv) => realRevision("H/hello-world", rv)) as [
    VersionChangeSide,
    VersionChangeSide,
    VersionChangeSide,
    VersionChangeSide,
    VersionChangeSide,
  ];
  const all = [r0, r1, r16, r100, r700];

  it("reads the sample as expected: two 3.0 revisions of 1.0.0, then 4.0 revisions that accept anything", () => {
    expect([r0.version, r1.version, r0.packagingVersion, r1.upgradesFrom]).toEqual([
      "1.0.0",
      "1.0.0",
      "3.0",
      undefined,
    ]);
    expect([r16.version, r16.upgradesFrom, r16.downgradesTo]).toEqual(["2.1.0-0.31.2", ["*"], ["*"]]);
    expect(r700.version).toBe("3.2.0-0.57.3");
  });

  it("allows moving between two revisions of the same version as an options-only update", () => {
    expect(checkVersionChange(r0, r1)).toEqual({ allowed: true, direction: "same" });
  });

  it("lets a 4.0 revision whose upgradesFrom is * replace the 3.0 package, as Cosmos's describe listed", () => {
    expect(checkVersionChange(r1, r16)).toEqual({ allowed: true, direction: "upgrade" });
    expect(upgradesTo(r1, all).map((p) => p.version)).toEqual([
      "2.1.0-0.31.2",
      "2.1.1-0.40.0",
      "3.2.0-0.57.3",
    ]);
  });

  it("lets a 4.0 revision whose downgradesTo is * go back to any version", () => {
    expect(checkVersionChange(r700, r100)).toEqual({ allowed: true, direction: "downgrade" });
    expect(checkVersionChange(r16, r0)).toEqual({ allowed: true, direction: "downgrade" });
    expect(downgradesTo(r700, all).map((p) => p.version)).toEqual(["1.0.0", "2.1.0-0.31.2", "2.1.1-0.40.0"]);
  });

  it("gives the 3.0 package no downgrades of its own, since its format has no downgradesTo", () => {
    expect(downgradesTo(r1, all)).toEqual([]);
  });

  it("forbids the change once the 4.0 revision's lists no longer name the 3.0 version", () => {
    const strict16 = { ...r16, upgradesFrom: ["2.0.0"], downgradesTo: [] };
    const check = checkVersionChange(r0, strict16);
    expect(check.allowed).toBe(false);
    if (!check.allowed) {
      expect(check.reason).toBe(
        'changing from 1.0.0 to 2.1.0-0.31.2 is not allowed: 2.1.0-0.31.2\'s upgradesFrom ["2.0.0"] does not include 1.0.0, and 1.0.0 is a packagingVersion 3.0 package, which cannot have downgradesTo',
      );
    }
  });
});

describe("checkVersionChange on other real packages", () => {
  it("treats a 4.0 package without lists (time-server) as allowing no version change", () => {
    const installed = realRevision("T/time-server", 0);
    const next = { ...installed, version: "1.1.0", releaseVersion: 1 };
    const check = checkVersionChange(installed, next);
    expect(check).toEqual({
      allowed: false,
      reason:
        "changing from 1.0.0 to 1.1.0 is not allowed: 1.1.0 has no upgradesFrom, and 1.0.0 has no downgradesTo",
    });
  });

  it("treats kubernetes-cluster's explicit empty upgradesFrom as allowing nothing", () => {
    const target = realRevision("K/kubernetes-cluster", 0);
    expect(target.upgradesFrom).toEqual([]);
    const check = checkVersionChange(universe("1.0.0-1.11.0"), target);
    expect(check.allowed).toBe(false);
    if (!check.allowed) expect(check.reason).toContain("2.0.0-1.12.1 has an empty upgradesFrom");
  });

  it("ignores lists written into a 2.0 package (nginx), as Cosmos did", () => {
    const installed = realRevision("N/nginx", 6);
    const next = { ...installed, version: "1.11.0", upgradesFrom: ["*"] };
    const check = checkVersionChange(installed, next);
    expect(check.allowed).toBe(false);
    if (!check.allowed)
      expect(check.reason).toContain(
        "1.11.0 is a packagingVersion 2.0 package, which cannot have upgradesFrom",
      );
  });
});

describe("checkVersionChange for Universe packages", () => {
  it("allows an upgrade that the target's upgradesFrom names exactly", () => {
    expect(
      checkVersionChange(universe("1.0.0"), universe("1.1.0", { upgradesFrom: ["0.9.0", "1.0.0"] })),
    ).toEqual({
      allowed: true,
      direction: "upgrade",
    });
  });

  it("does not read Universe list entries as ranges", () => {
    const check = checkVersionChange(universe("1.0.0"), universe("1.1.0", { upgradesFrom: ["^1.0.0"] }));
    expect(check.allowed).toBe(false);
  });

  it("allows a downgrade that the installed package's downgradesTo names", () => {
    expect(checkVersionChange(universe("2.0.0", { downgradesTo: ["1.0.0"] }), universe("1.0.0"))).toEqual({
      allowed: true,
      direction: "downgrade",
    });
  });

  it("allows a change named by either list, whatever the direction", () => {
    // Cosmos's rule is an OR of the two lists; a target may accept being "upgraded" to from newer.
    expect(checkVersionChange(universe("3.0.0"), universe("1.0.0", { upgradesFrom: ["*"] }))).toEqual({
      allowed: true,
      direction: "downgrade",
    });
  });

  it("uses releaseVersion for the direction when the versions are not semver", () => {
    const from = { ...universe("3.1.x", { downgradesTo: ["*"] }), releaseVersion: 9 };
    const to = { ...universe("0.3.16.4"), releaseVersion: 4 };
    expect(checkVersionChange(from, to)).toEqual({ allowed: true, direction: "downgrade" });
  });

  it("says which lists forbid the change", () => {
    const check = checkVersionChange(
      universe("1.0.0", { downgradesTo: ["0.8.0"] }),
      universe("2.0.0", { upgradesFrom: ["1.5.0"] }),
    );
    expect(check).toEqual({
      allowed: false,
      reason:
        'changing from 1.0.0 to 2.0.0 is not allowed: 2.0.0\'s upgradesFrom ["1.5.0"] does not include 1.0.0, and 1.0.0\'s downgradesTo ["0.8.0"] does not include 2.0.0',
    });
  });
});

describe("checkVersionChange for Flotilla packages", () => {
  it("allows any change when the lists are missing", () => {
    expect(checkVersionChange(flotilla("1.0.0"), flotilla("0.5.0"))).toEqual({
      allowed: true,
      direction: "downgrade",
    });
  });

  it("reads list entries as semver ranges", () => {
    const target = flotilla("2.0.0", { upgradesFrom: [">=1.4 <2"] });
    const noDowngrades = { downgradesTo: [] };
    expect(checkVersionChange(flotilla("1.6.2", noDowngrades), target).allowed).toBe(true);
    expect(checkVersionChange(flotilla("1.3.0", noDowngrades), target).allowed).toBe(false);
  });

  it("treats an explicit empty list as allowing nothing through it", () => {
    const check = checkVersionChange(
      flotilla("1.0.0", { downgradesTo: [] }),
      flotilla("2.0.0", { upgradesFrom: [] }),
    );
    expect(check.allowed).toBe(false);
  });
});

describe("assertVersionChange", () => {
  it("returns the direction of an allowed change", () => {
    expect(assertVersionChange(flotilla("1.0.0"), flotilla("1.0.1"))).toBe("upgrade");
  });

  it("throws UPGRADE_NOT_ALLOWED naming the package and the lists", () => {
    let error: unknown;
    try {
      assertVersionChange(universe("1.0.0"), universe("2.0.0"), "cassandra");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UniverseError);
    expect((error as UniverseError).code).toBe("UPGRADE_NOT_ALLOWED");
    expect((error as UniverseError).message).toContain("[cassandra] cannot change version");
    expect((error as UniverseError).message).toContain("2.0.0 has no upgradesFrom");
    expect((error as UniverseError).details).toMatchObject({
      package: "cassandra",
      from: "1.0.0",
      to: "2.0.0",
    });
  });
});

describe("upgradesTo and downgradesTo", () => {
  const pool = ["1.0.0", "1.1.0", "2.0.0", "3.1.x", "*"];
  const side = fc.record({
    version: fc.constantFrom("1.0.0", "1.1.0", "2.0.0", "3.1.x"),
    packagingVersion: fc.constantFrom("3.0", "4.0", "flotilla/1"),
    upgradesFrom: fc.option(fc.subarray(pool), { nil: undefined }),
    downgradesTo: fc.option(fc.subarray(pool), { nil: undefined }),
  });
  const asSide = (s: typeof side extends fc.Arbitrary<infer V> ? V : never): VersionChangeSide => ({
    ...s,
    format: s.packagingVersion === "flotilla/1" ? "flotilla" : "universe",
  });

  it("together list exactly the other versions that checkVersionChange allows", () => {
    fc.assert(
      fc.property(side, fc.array(side, { maxLength: 6 }), (rawCurrent, rawAll) => {
        const current = asSide(rawCurrent);
        const all = rawAll.map(asSide);
        const reachable = new Set(
          [...upgradesTo(current, all), ...downgradesTo(current, all)].map((p) => p.version),
        );
        const firsts = all.filter((p, i) => all.findIndex((q) => q.version === p.version) === i);
        const allowed = firsts.filter(
          (p) => p.version !== current.version && checkVersionChange(current, p).allowed,
        );
        expect(reachable).toEqual(new Set(allowed.map((p) => p.version)));
      }),
    );
  });
});

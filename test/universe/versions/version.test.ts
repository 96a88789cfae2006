// Version strings as Universe wrote them: the raw string survives untouched, and the semver view
// is strict, repaired (loose) or absent — never an exception.
import fc from "fast-check";
import semver from "semver";
import { describe, expect, it } from "vitest";
import {
  compareVersions,
  compareVersionViews,
  versionSatisfies,
  versionView,
} from "../../../universe/versions/index.js";

describe("versionView", () => {
  it.each([
    ["1.2.3", "1.2.3"],
    ["1.0.0-2.1.0", "1.0.0-2.1.0"],
    ["2.1.0-0.31.2", "2.1.0-0.31.2"],
    ["1.2.3-rc.1+build.5", "1.2.3-rc.1"],
  ])("reads %s as strict semver %s", (raw, expected) => {
    expect(versionView(raw)).toEqual({ raw, semver: expected, loose: false });
  });

  it.each([
    ["v0.4.0-beta", "0.4.0-beta"],
    ["=1.2.3", "1.2.3"],
    [" 1.2.3 ", "1.2.3"],
    ["1.12-patch.0", "1.12.0-patch.0"],
    ["0.3.16.4", "0.3.16"],
    ["6.0.0rc1", "6.0.0-rc1"],
    ["2.0", "2.0.0"],
    ["7", "7.0.0"],
    ["2.0-beta1", "2.0.0-beta1"],
    ["1.2.3.beta", "1.2.3-beta"],
    ["1.0.0-01", "1.0.0-1"],
    ["01.02.03", "1.2.3"],
  ])("repairs the real-world string %s into the loose view %s", (raw, expected) => {
    expect(versionView(raw)).toEqual({ raw, semver: expected, loose: true });
  });

  it.each(["3.1.x", "3.x", "1.2.*", "latest", "", "1.2.3-", "RELEASE.2018-07-31T02-11-47Z"])(
    "gives %j no semver view rather than guessing",
    (raw) => {
      expect(versionView(raw)).toEqual({ raw, semver: null, loose: false });
    },
  );

  it("never throws, keeps the raw string and only ever yields valid semver", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: "binary" }), versionLike), (raw) => {
        const view = versionView(raw);
        expect(view.raw).toBe(raw);
        if (view.semver === null) expect(view.loose).toBe(false);
        else expect(semver.valid(view.semver)).toBe(view.semver);
      }),
      { numRuns: 500 },
    );
  });

  it("reads every well-formed semver string as strict and unchanged", () => {
    const strictVersion = fc
      .tuple(
        fc.nat(99),
        fc.nat(99),
        fc.nat(99),
        fc.option(fc.constantFrom("alpha", "rc.1", "0.31.2", "beta-2")),
      )
      .map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === null ? "" : `-${pre}`}`);
    fc.assert(
      fc.property(strictVersion, (raw) => {
        expect(versionView(raw)).toEqual({ raw, semver: raw, loose: false });
      }),
    );
  });
});

describe("compareVersionViews", () => {
  it("sorts semver views by precedence first and leaves views-less strings last, by raw order", () => {
    const raws = [
      "latest",
      "3.1.x",
      "6.0.0",
      "6.0.0rc1",
      "2.0",
      "0.3.16.10",
      "1.0.0",
      "v0.4.0-beta",
      "0.3.16.4",
    ];
    expect([...raws].sort(compareVersions)).toEqual([
      "0.3.16.4",
      "0.3.16.10",
      "v0.4.0-beta",
      "1.0.0",
      "2.0",
      "6.0.0rc1",
      "6.0.0",
      "3.1.x",
      "latest",
    ]);
  });

  it("is a total order: antisymmetric, transitive and zero only for identical strings", () => {
    fc.assert(
      fc.property(versionLike, versionLike, versionLike, (a, b, c) => {
        const [va, vb, vc] = [versionView(a), versionView(b), versionView(c)];
        const ab = compareVersionViews(va, vb);
        // Compare sums, not negations: -Math.sign(0) is -0, which toBe() tells apart from 0.
        expect(Math.sign(ab) + Math.sign(compareVersionViews(vb, va))).toBe(0);
        expect(ab === 0).toBe(a === b);
        if (ab <= 0 && compareVersionViews(vb, vc) <= 0)
          expect(compareVersionViews(va, vc)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe("versionSatisfies", () => {
  it("matches an opaque version by its exact string even when it has no semver view", () => {
    expect(versionSatisfies(versionView("3.1.x"), "3.1.x")).toBe(true);
    expect(versionSatisfies(versionView("0.3.16.4"), "0.3.16.4")).toBe(true);
    expect(versionSatisfies(versionView("3.1.x"), "^3")).toBe(false);
  });

  it("lets repaired views satisfy ranges", () => {
    expect(versionSatisfies(versionView("2.0"), "^2")).toBe(true);
    expect(versionSatisfies(versionView("v0.4.0-beta"), ">=0.4.0-alpha <0.5")).toBe(true);
  });

  it("follows semver's prerelease rule unless prereleases are included", () => {
    const beta = versionView("1.1.0-beta.1");
    expect(versionSatisfies(beta, "^1.0.0")).toBe(false);
    expect(versionSatisfies(beta, "^1.0.0", { includePrerelease: true })).toBe(true);
    expect(versionSatisfies(beta, "^1.1.0-beta.0")).toBe(true);
  });

  it("answers false for a malformed range instead of throwing", () => {
    expect(versionSatisfies(versionView("1.0.0"), "banana")).toBe(false);
  });
});

/** Strings shaped like the versions found in real repositories, odd ones included. */
const versionLike = fc
  .tuple(
    fc.constantFrom("", "v", "=", " "),
    fc.array(fc.oneof(fc.nat(20).map(String), fc.constant("x"), fc.constant("01")), {
      minLength: 1,
      maxLength: 5,
    }),
    fc.constantFrom("", "-beta", "rc1", "-patch.0", ".beta", "-0.31.2", "+build.1", "-", "_rc2", "-RC1"),
  )
  .map(([prefix, parts, suffix]) => `${prefix}${parts.join(".")}${suffix}`);

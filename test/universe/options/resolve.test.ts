import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { UniverseError } from "../../../universe/errors.js";
import type { PackageDefinition } from "../../../universe/models/index.js";
import { resolveOptions } from "../../../universe/options/index.js";
import { SAMPLE_REPO } from "../../helpers/sample.js";

const timeServerConfig = JSON.parse(
  readFileSync(`${SAMPLE_REPO}/packages/T/time-server/0/config.json`, "utf8"),
);

function definition(config?: Record<string, unknown>): PackageDefinition {
  const def: PackageDefinition = {
    metadata: {
      packagingVersion: "4.0",
      name: "time-server",
      version: "1.0.0",
      maintainer: "m",
      description: "d",
      tags: [],
    },
    releaseVersion: 0,
    format: "universe",
    templates: {},
    warnings: [],
  };
  if (config) def.config = config;
  return def;
}

function caught(fn: () => unknown): UniverseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UniverseError) return e;
    throw e;
  }
  throw new Error("expected a UniverseError");
}

describe("resolving the options of an install", () => {
  it("uses the package's defaults when the user gives no options", () => {
    const result = resolveOptions(definition(timeServerConfig), undefined);
    expect(result).toEqual({ user: {}, resolved: { service: { name: "time-server", cpus: 0.1, mem: 256 } } });
    expect(resolveOptions(definition(timeServerConfig), null).user).toEqual({});
  });

  it("merges the user's options over the defaults and keeps the user's own apart", () => {
    const result = resolveOptions(definition(timeServerConfig), { service: { cpus: 2 } });
    expect(result.user).toEqual({ service: { cpus: 2 } });
    expect(result.resolved).toEqual({ service: { name: "time-server", cpus: 2, mem: 256 } });
  });

  it("says which fields failed, why and with what value, in one error", () => {
    const e = caught(() =>
      resolveOptions(definition(timeServerConfig), { service: { cpus: 0.01, mem: "lots" } }),
    );
    expect(e.code).toBe("OPTIONS_INVALID");
    expect(e.message).toBe(
      'Options for [time-server] failed validation: /service/cpus: must be >= 0.1 (got 0.01); /service/mem: must be a number (got "lots")',
    );
    expect(((e.details?.errors ?? []) as { pointer: string }[]).map((x) => x.pointer)).toEqual([
      "/service/cpus",
      "/service/mem",
    ]);
  });

  it("validates the merged result, so a bad default override is caught too", () => {
    const e = caught(() => resolveOptions(definition(timeServerConfig), { service: { name: ["x"] } }));
    expect(e.message).toContain('/service/name: must be a string (got ["x"])');
  });

  it("refuses options that are not a JSON object", () => {
    for (const [options, kind] of [
      [["a"], "an array"],
      ["cpus=1", "a string"],
      [3, "a number"],
    ] as const) {
      const e = caught(() => resolveOptions(definition(timeServerConfig), options));
      expect(e.code).toBe("OPTIONS_INVALID");
      expect(e.message).toBe(`Options for [time-server] must be a JSON object, got ${kind}`);
    }
  });

  it("refuses values that JSON cannot carry and drops undefined members", () => {
    const e = caught(() =>
      resolveOptions(definition(timeServerConfig), { service: { cpus: Number.POSITIVE_INFINITY } }),
    );
    expect(e.code).toBe("OPTIONS_INVALID");
    expect(e.message).toContain("/service/cpus: must be a JSON value, not Infinity");
    const ok = resolveOptions(definition(timeServerConfig), { service: { cpus: 1, mem: undefined } });
    expect(ok.user).toEqual({ service: { cpus: 1 } });
    expect(ok.resolved).toEqual({ service: { name: "time-server", cpus: 1, mem: 256 } });
  });

  it("refuses options for a package without config.json, as Cosmos did", () => {
    const e = caught(() => resolveOptions(definition(), { service: { cpus: 1 } }));
    expect(e.code).toBe("OPTIONS_NOT_ALLOWED");
    expect(e.message).toBe("Package [time-server] does not take options");
  });

  it("accepts empty options for a package without config.json", () => {
    expect(resolveOptions(definition(), {})).toEqual({ user: {}, resolved: {} });
  });

  it("returns copies, so the caller's object can change afterwards without effect", () => {
    const input = { service: { cpus: 1 } };
    const result = resolveOptions(definition(timeServerConfig), input);
    input.service.cpus = 99;
    expect(result.user).toEqual({ service: { cpus: 1 } });
    expect(result.resolved).toMatchObject({ service: { cpus: 1 } });
  });
});

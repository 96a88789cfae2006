import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { collectDefaults, validateOptions } from "../../../universe/options/index.js";
import { SAMPLE_REPO } from "../../helpers/sample.js";

const SAMPLE = `${SAMPLE_REPO}/packages`;
const helloConfig = () =>
  JSON.parse(readFileSync(`${SAMPLE}/H/hello-world/700/config.json`, "utf8")) as Record<string, unknown>;

describe("collecting the defaults of a config.json", () => {
  it("collects every default of the real hello-world config, nested objects included", () => {
    const defaults = collectDefaults(helloConfig()) as Record<string, Record<string, unknown>>;
    expect(defaults.service).toMatchObject({
      name: "hello-world",
      user: "nobody",
      sleep: 1000,
      log_level: "INFO",
      constraints: [],
      enable_role_migration: false,
      task_failure_backoff: {
        enabled: true,
        backoff_factor: 1.15,
        initial_backoff: 60,
        max_launch_delay: 300,
      },
      check: { intervalSeconds: 60, timeoutSeconds: 20, delaySeconds: 15 },
    });
    expect(defaults.hello?.placement).toBe('[["hostname", "UNIQUE"]]');
    expect(defaults.hello?.rlimits).toEqual({ rlimit_nofile: { soft: 128000, hard: 128000 } });
    expect(defaults.world?.readiness_check).toEqual({ interval: 5, delay: 0, timeout: 10 });
    expect(Object.keys(defaults)).toEqual(["service", "debug", "hello", "world", "tls"]);
  });

  it("leaves out a property that has neither a default nor sub-properties", () => {
    const defaults = collectDefaults(helloConfig()) as Record<string, Record<string, unknown>>;
    // debug.address has no default; debug.suspend has "n".
    expect(defaults.debug).toEqual({ suspend: "n" });
  });

  it("produces defaults that pass the config they came from", () => {
    const config = helloConfig();
    expect(validateOptions(config, collectDefaults(config))).toEqual([]);
  });

  it("takes a property's own object default as written, without merging sub-property defaults (as Cosmos did)", () => {
    const config = {
      properties: {
        service: {
          type: "object",
          default: { name: "from-parent" },
          properties: { name: { default: "from-child" }, cpus: { default: 1 } },
        },
      },
    };
    expect(collectDefaults(config)).toEqual({ service: { name: "from-parent" } });
  });

  it("yields an empty object for an object property whose sub-properties have no defaults (as Cosmos did)", () => {
    const config = {
      properties: { security: { type: "object", properties: { secret: { type: "string" } } } },
    };
    expect(collectDefaults(config)).toEqual({ security: {} });
  });

  it("keeps an explicit null default and ignores schemas that are not objects", () => {
    const config = { properties: { a: { default: null }, b: true, c: { type: "string" } } };
    expect(collectDefaults(config)).toEqual({ a: null });
  });

  it("returns an empty document for a config without properties or without a config at all", () => {
    expect(collectDefaults({ type: "object" })).toEqual({});
    expect(collectDefaults(undefined)).toEqual({});
  });

  it("hands out copies, so changing the defaults never changes the schema", () => {
    const config = { properties: { tags: { default: ["a"] }, nested: { default: { x: 1 } } } };
    const defaults = collectDefaults(config) as { tags: string[]; nested: { x: number } };
    defaults.tags.push("b");
    defaults.nested.x = 2;
    expect(config.properties.tags.default).toEqual(["a"]);
    expect(config.properties.nested.default).toEqual({ x: 1 });
  });
});

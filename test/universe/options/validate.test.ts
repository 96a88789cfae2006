import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type OptionError, validateOptions } from "../../../universe/options/index.js";
import { SAMPLE_REPO } from "../../helpers/sample.js";

const config = (path: string) =>
  JSON.parse(readFileSync(`${SAMPLE_REPO}/packages/${path}/config.json`, "utf8"));
const brief = (errors: OptionError[]) => errors.map(({ pointer, rule, value }) => ({ pointer, rule, value }));

describe("validating options against config.json", () => {
  it("accepts options that fit the schema", () => {
    expect(
      validateOptions(config("T/time-server/0"), { service: { name: "clock", cpus: 0.5, mem: 512 } }),
    ).toEqual([]);
  });

  it("lists every failing field at once with its pointer, rule and value, and no parent wrappers", () => {
    const errors = validateOptions(config("T/time-server/0"), {
      service: { name: 5, cpus: 0.01, mem: "lots" },
    });
    expect(brief(errors)).toEqual([
      { pointer: "/service/name", rule: "type", value: 5 },
      { pointer: "/service/cpus", rule: "minimum", value: 0.01 },
      { pointer: "/service/mem", rule: "type", value: "lots" },
    ]);
    expect(errors.map((e) => e.message)).toEqual(["must be a string", "must be >= 0.1", "must be a number"]);
  });

  it("points a missing required field at the field itself", () => {
    const errors = validateOptions(config("H/hello-world/700"), { service: { task_failure_backoff: {} } });
    expect(brief(errors)).toEqual([
      { pointer: "/service/task_failure_backoff/enabled", rule: "required", value: undefined },
    ]);
    expect(errors[0]?.message).toBe("is required");
  });

  it("names the allowed values of an enum", () => {
    const errors = validateOptions(config("H/hello-world/700"), { service: { log_level: "LOUD" } });
    expect(brief(errors)).toEqual([{ pointer: "/service/log_level", rule: "enum", value: "LOUD" }]);
    expect(errors[0]?.message).toMatch(/^must be one of "OFF", "FATAL", "ERROR", "WARN", "INFO"/);
  });

  it("reports each property that additionalProperties: false forbids, at the property", () => {
    const schema = { type: "object", properties: { a: { type: "number" } }, additionalProperties: false };
    const errors = validateOptions(schema, { a: 1, b: 2, "c/d": 3 });
    expect(brief(errors)).toEqual([
      { pointer: "/b", rule: "additionalProperties", value: 2 },
      { pointer: "/c~1d", rule: "additionalProperties", value: 3 },
    ]);
    expect(errors[0]?.message).toBe("is not an allowed property");
  });

  it("finds failing array items and follows local $refs to word the message", () => {
    const schema = {
      definitions: { port: { type: "integer", minimum: 1 } },
      properties: {
        port: { $ref: "#/definitions/port" },
        tags: { type: "array", items: { type: "string" } },
      },
    };
    const errors = validateOptions(schema, { port: 0, tags: ["a", 1] });
    expect(brief(errors)).toEqual([
      { pointer: "/port", rule: "minimum", value: 0 },
      { pointer: "/tags/1", rule: "type", value: 1 },
    ]);
    expect(errors[0]?.message).toBe("must be >= 1");
  });

  it("falls back to the validator's wording when a $ref points outside the document", () => {
    const schema = {
      id: "http://example.com/root.json",
      definitions: { port: { id: "http://example.com/port.json", type: "integer", minimum: 1 } },
      properties: { port: { $ref: "http://example.com/port.json" } },
    };
    const errors = validateOptions(schema, { port: 0 });
    expect(brief(errors)).toEqual([{ pointer: "/port", rule: "minimum", value: 0 }]);
    expect(errors[0]?.message).toBe("0 is less than 1");
  });

  it("reads draft 4's boolean exclusiveMinimum", () => {
    const schema = { properties: { n: { type: "number", minimum: 0, exclusiveMinimum: true } } };
    const errors = validateOptions(schema, { n: 0 });
    expect(brief(errors)).toEqual([{ pointer: "/n", rule: "minimum", value: 0 }]);
    expect(errors[0]?.message).toBe("must be > 0");
  });

  it("honours a declared later draft, where exclusiveMinimum is a number", () => {
    const props = { properties: { n: { type: "number", exclusiveMinimum: 5 } } };
    // Read as draft 4 (Universe's default) a numeric exclusiveMinimum means nothing.
    expect(validateOptions(props, { n: 5 })).toEqual([]);
    for (const $schema of [
      "http://json-schema.org/draft-07/schema#",
      "https://json-schema.org/draft/2020-12/schema",
    ]) {
      const errors = validateOptions({ $schema, ...props }, { n: 5 });
      expect(brief(errors)).toEqual([{ pointer: "/n", rule: "exclusiveMinimum", value: 5 }]);
      expect(errors[0]?.message).toBe("must be > 5");
    }
  });

  it("reports a failed anyOf once instead of every alternative that was tried", () => {
    const schema = { properties: { v: { anyOf: [{ type: "string" }, { type: "integer" }] } } };
    expect(brief(validateOptions(schema, { v: 1.5 }))).toEqual([
      { pointer: "/v", rule: "anyOf", value: 1.5 },
    ]);
  });

  it("accepts patterns written for non-Unicode regexes, such as an escaped underscore", () => {
    const schema = { properties: { name: { type: "string", pattern: "^[a-z\\_]+$" } } };
    expect(validateOptions(schema, { name: "a_b" })).toEqual([]);
    expect(brief(validateOptions(schema, { name: "a b" }))).toEqual([
      { pointer: "/name", rule: "pattern", value: "a b" },
    ]);
  });

  it("reports values that JSON cannot hold instead of crashing", () => {
    const errors = validateOptions(config("T/time-server/0"), {
      service: { cpus: Number.NaN, mem: undefined },
    });
    expect(brief(errors)).toEqual([
      { pointer: "/service/cpus", rule: "type", value: Number.NaN },
      { pointer: "/service/mem", rule: "type", value: undefined },
    ]);
  });

  it("compiles each config once and leaves the package's schema untouched", () => {
    const schema = config("H/hello-world/700");
    const before = JSON.stringify(schema);
    const first = validateOptions(schema, { service: { sleep: "long" } });
    const second = validateOptions(schema, { service: { sleep: "long" } });
    expect(second).toEqual(first);
    expect(JSON.stringify(schema)).toBe(before);
    expect(Object.getOwnPropertyNames(schema)).not.toContain("__absolute_uri__");
  });

  it("validates a large config quickly enough for the install path", () => {
    const schema = config("H/hello-world/700");
    const options = { service: { name: "x" } };
    validateOptions(schema, options);
    const start = performance.now();
    for (let i = 0; i < 1000; i++) validateOptions(schema, options);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

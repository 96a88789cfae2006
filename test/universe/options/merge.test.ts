import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeOptions } from "../../../universe/options/index.js";

describe("deep-merging options", () => {
  it("merges objects key by key at every depth", () => {
    const base = { service: { name: "a", cpus: 1, check: { interval: 5, timeout: 10 } }, other: true };
    const override = { service: { cpus: 2, check: { timeout: 20 } } };
    expect(mergeOptions(base, override)).toEqual({
      service: { name: "a", cpus: 2, check: { interval: 5, timeout: 20 } },
      other: true,
    });
  });

  it("replaces arrays instead of merging or concatenating them", () => {
    expect(mergeOptions({ tags: ["a", "b"] }, { tags: ["c"] })).toEqual({ tags: ["c"] });
  });

  it("lets null, scalars and arrays replace objects, and objects replace scalars", () => {
    expect(
      mergeOptions({ a: { x: 1 }, b: { x: 1 }, c: 5, d: { x: 1 } }, { a: null, b: 3, c: { y: 1 }, d: [1] }),
    ).toEqual({ a: null, b: 3, c: { y: 1 }, d: [1] });
  });

  it("changes neither input and shares no object with them", () => {
    const base = { service: { cpus: 1, tags: ["a"] } };
    const override = { service: { mem: 2 }, list: [{ k: 1 }] };
    const before = structuredClone({ base, override });
    const merged = mergeOptions(base, override) as { service: { tags: string[] }; list: { k: number }[] };
    expect({ base, override }).toEqual(before);
    merged.service.tags.push("b");
    merged.list[0]!.k = 9;
    expect({ base, override }).toEqual(before);
  });

  it("treats __proto__ and constructor keys as plain data and never touches Object.prototype", () => {
    const override = JSON.parse(
      '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}}',
    );
    const merged = mergeOptions({ constructor: { kept: 1 } }, override);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(Object.hasOwn(merged, "__proto__")).toBe(true);
    expect(Object.getOwnPropertyDescriptor(merged, "__proto__")?.value).toEqual({ polluted: true });
    expect(merged.constructor).toEqual({ kept: 1, prototype: { polluted: true } });
  });

  it("gives back the base for an empty override and the override for an empty base", () => {
    const json = fc.dictionary(fc.string(), fc.jsonValue());
    fc.assert(
      fc.property(json, (doc) => {
        expect(mergeOptions(doc, {})).toEqual(doc);
        expect(mergeOptions({}, doc)).toEqual(doc);
      }),
    );
  });

  it("keeps every non-object value of the override as it is", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (a, b) => {
          const merged = mergeOptions(a, b);
          for (const key of Object.keys(b)) {
            const v = b[key];
            if (typeof v !== "object" || v === null || Array.isArray(v)) {
              expect(Object.getOwnPropertyDescriptor(merged, key)?.value).toEqual(v);
            }
          }
        },
      ),
    );
  });
});

/** `--options` and `--set`: how values are read and merged. */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { applySet, mergeOptions, readOptions } from "../../cli/options.js";

describe("--set key.path=value", () => {
  it("reads the value as JSON when it parses and as a string otherwise", () => {
    expect(applySet({}, "service.instances=3")).toEqual({ service: { instances: 3 } });
    expect(applySet({}, "a.b=true")).toEqual({ a: { b: true } });
    expect(applySet({}, 'a=["x",1]')).toEqual({ a: ["x", 1] });
    expect(applySet({}, "a=hello world")).toEqual({ a: "hello world" });
    expect(applySet({}, 'a="3"')).toEqual({ a: "3" });
    expect(applySet({}, "a=x=y")).toEqual({ a: "x=y" });
    expect(applySet({}, "a=")).toEqual({ a: "" });
  });

  it("refuses a missing key, an empty segment, or a path through a value", () => {
    expect(() => applySet({}, "=3")).toThrow(/key\.path=value/);
    expect(() => applySet({}, "a..b=1")).toThrow(/empty segment/);
    expect(() => applySet({ a: 1 }, "a.b=2")).toThrow(/a is already 1, not an object/);
  });

  it("sets exactly the path it names, whatever the keys and value", () => {
    const key = fc.stringMatching(/^[a-zA-Z_][a-zA-Z0-9_-]{0,8}$/);
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 4 }), fc.jsonValue(), (path, value) => {
        const set = applySet({}, `${path.join(".")}=${JSON.stringify(value)}`);
        let node: unknown = set;
        for (const k of path) node = (node as Record<string, unknown>)[k];
        expect(node).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});

describe("merging --options and --set", () => {
  it("merges objects key by key and lets the later value replace anything else", () => {
    expect(mergeOptions({ s: { a: 1, b: [1] }, t: 1 }, { s: { b: [2], c: 3 } })).toEqual({
      s: { a: 1, b: [2], c: 3 },
      t: 1,
    });
  });

  it("puts the sets over the file, and gives undefined when neither was given", async () => {
    const file = join(tmpdir(), `flotilla-options-${Date.now()}.json`);
    await writeFile(file, JSON.stringify({ service: { instances: 1, message: "file" } }));
    expect(await readOptions(file, ["service.instances=4"])).toEqual({
      service: { instances: 4, message: "file" },
    });
    expect(await readOptions(undefined, [])).toBeUndefined();
    await writeFile(file, "[1]");
    await expect(readOptions(file, [])).rejects.toThrow(/JSON object/);
    await expect(readOptions(join(tmpdir(), "no-such-options.json"), [])).rejects.toThrow(/no such file/);
  });

  it("never lets a merge lose a key of either side", () => {
    const obj = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), fc.jsonValue(), { maxKeys: 5 });
    fc.assert(
      fc.property(obj, obj, (a, b) => {
        const merged = mergeOptions(a, b);
        for (const k of [...Object.keys(a), ...Object.keys(b)]) expect(Object.hasOwn(merged, k)).toBe(true);
      }),
    );
  });
});

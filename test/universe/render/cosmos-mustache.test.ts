import Mustache from "mustache";
import { describe, expect, it } from "vitest";
import { UniverseError } from "../../../universe/errors.js";
import { renderCosmosTemplate } from "../../../universe/render/index.js";

const r = (template: string, context: Record<string, unknown>) => renderCosmosTemplate(template, context);

describe("rendering a template with Cosmos's rules", () => {
  it("prints a string JSON-escaped without its quotes", () => {
    expect(r("{{s}}", { s: 'a"b' })).toBe('a\\"b');
    expect(r("{{s}}", { s: "back\\slash" })).toBe("back\\\\slash");
    expect(r("{{s}}", { s: "line1\nline2\ttab" })).toBe("line1\\nline2\\ttab");
    expect(r("{{s}}", { s: "bell\u0007" })).toBe("bell\\u0007");
    expect(r("{{s}}", { s: "héllo ✓" })).toBe("héllo ✓");
  });

  it("prints {{x}}, {{{x}}} and {{&x}} the same, without HTML escaping", () => {
    const context = { x: '<a href="/">&</a>' };
    const escaped = r("{{x}}", context);
    expect(escaped).toBe('<a href=\\"/\\">&</a>');
    expect(r("{{{x}}}", context)).toBe(escaped);
    expect(r("{{&x}}", context)).toBe(escaped);
  });

  it("prints an array as [e1, e2] with strings quoted, and nested values as JSON", () => {
    expect(r("{{a}}", { a: ["a", "b"] })).toBe('["a", "b"]');
    expect(r("{{a}}", { a: [1, 2.5] })).toBe("[1, 2.5]");
    expect(r("{{a}}", { a: [] })).toBe("[]");
    expect(r("{{{a}}}", { a: [["x"], [1]] })).toBe('[["x"], [1]]');
    expect(r("{{a}}", { a: [{ k: 'v"' }, null, true] })).toBe('[{"k":"v\\""}, null, true]');
    expect(r("{{a}}", { a: ['q"uote'] })).toBe('["q\\"uote"]');
  });

  it("prints integral numbers without .0 and big numbers as JSON numbers", () => {
    expect(r("{{n}}", JSON.parse('{"n": 256.0}'))).toBe("256");
    expect(r("{{n}}", { n: 0.1 })).toBe("0.1");
    expect(r("{{n}}", { n: -0 })).toBe("0");
    expect(r("{{n}}", { n: 1e21 })).toBe("1e+21");
    expect(JSON.parse(r("{{n}}", { n: 1e21 }))).toBe(1e21);
  });

  it("prints booleans as true and false and an object as JSON", () => {
    expect(r("{{t}} {{f}}", { t: true, f: false })).toBe("true false");
    expect(r("{{o}}", { o: { a: [1, "x"], b: { c: null } } })).toBe('{"a":[1,"x"],"b":{"c":null}}');
  });

  it("prints null and missing values as nothing, as mustache.java did", () => {
    expect(r('"{{n}}" "{{missing}}"', { n: null })).toBe('"" ""');
    expect(r("{{#n}}yes{{/n}}{{^n}}no{{/n}}", { n: null })).toBe("no");
  });

  it("iterates arrays in sections, each element in its printed form", () => {
    expect(r("{{#a}}<{{.}}>{{/a}}", { a: ["x", "y"] })).toBe('<"x"><"y">');
    expect(r("{{#a}}{{.}};{{/a}}", { a: [1, 2] })).toBe("1;2;");
    expect(
      r("{{#ports}}{{name}}={{port}},{{/ports}}", {
        ports: [
          { name: 'w"eb', port: 80 },
          { name: "db", port: 5432 },
        ],
      }),
    ).toBe('w\\"eb=80,db=5432,');
    expect(r("{{#a}}x{{/a}}{{^a}}empty{{/a}}", { a: [] })).toBe("empty");
  });

  it("treats false, empty strings and empty arrays as false but every number, 0 included, as true", () => {
    const context = { f: false, e: "", z: 0, one: 1, s: "x", o: {} };
    expect(
      r("{{#f}}f{{/f}}{{#e}}e{{/e}}{{#z}}z{{/z}}{{#one}}1{{/one}}{{#s}}s{{/s}}{{#o}}o{{/o}}", context),
    ).toBe("z1so");
    expect(r("{{^z}}zero is false{{/z}}", context)).toBe("");
  });

  it("descends into objects with dotted names and sections", () => {
    const context = { service: { name: "clock", check: { interval: 5 } } };
    expect(r("{{service.name}}/{{service.check.interval}}", context)).toBe("clock/5");
    expect(r("{{#service}}{{name}}{{/service}}", context)).toBe("clock");
  });

  it("writes a top-level option holding JSON as is through asJson", () => {
    const context = { extra: '{"a": [1, 2], "b": "x"}', count: 3 };
    expect(r('{"e": {{#asJson}}extra{{/asJson}}}', context)).toBe('{"e": {"a": [1, 2], "b": "x"}}');
    expect(r("{{#asJson}} extra {{/asJson}}", context)).toBe('{"a": [1, 2], "b": "x"}');
  });

  it("writes null through asJson when the option is absent or not a string", () => {
    const context = { count: 3, nested: { extra: "{}" } };
    expect(r("{{#asJson}}missing{{/asJson}}", context)).toBe("null");
    expect(r("{{#asJson}}count{{/asJson}}", context)).toBe("null");
    expect(r("{{#asJson}}nested.extra{{/asJson}}", context)).toBe("null");
    expect(r("[{{asJson}}{{{asJson}}}]", context)).toBe("[]");
  });

  it("finds nothing under names that plain objects inherit", () => {
    expect(r("[{{constructor}}{{toString}}{{o.constructor}}{{o.hasOwnProperty}}]", { o: { a: 1 } })).toBe(
      "[]",
    );
  });

  it("reports a template mustache cannot parse as TEMPLATE_ERROR with its line and column", () => {
    let error: unknown;
    try {
      renderCosmosTemplate('{\n  "id": "{{#name}}x"\n}', { name: "n" }, "marathon.json.mustache");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UniverseError);
    expect((error as UniverseError).code).toBe("TEMPLATE_ERROR");
    expect((error as UniverseError).message).toMatch(
      /^marathon\.json\.mustache could not be rendered: Unclosed section "name"/,
    );
    expect((error as UniverseError).message).toMatch(/\(line \d+, column \d+\)$/);
    expect(() => r("{{x", {})).toThrow(/could not be rendered: Unclosed tag/);
  });

  it("leaves mustache's global settings alone, so other users of mustache still get HTML escaping", () => {
    const escapeBefore = Mustache.escape;
    r("{{x}}", { x: "<b>" });
    expect(Mustache.escape).toBe(escapeBefore);
    expect(Mustache.render("{{x}}", { x: "<b>" })).toBe("&lt;b&gt;");
  });

  it("renders the same input to the same text every time and never changes the context", () => {
    const context = { a: ["x", { y: 1 }], s: 'q"', n: 2.5 };
    const before = structuredClone(context);
    const template = "{{a}}|{{s}}|{{n}}|{{#a}}{{.}}{{/a}}";
    expect(r(template, context)).toBe(r(template, context));
    expect(context).toEqual(before);
  });

  it("answers the List methods isEmpty and size that Cosmos templates call on arrays", () => {
    const template =
      "{{^labels.isEmpty}}has {{labels.size}}{{/labels.isEmpty}}{{#labels.isEmpty}}none{{/labels.isEmpty}}";
    expect(r(template, { labels: ["a", "b"] })).toBe("has 2");
    expect(r(template, { labels: [] })).toBe("none");
    expect(r("{{labels}}", { labels: ["a"] })).toBe('["a"]');
  });
});

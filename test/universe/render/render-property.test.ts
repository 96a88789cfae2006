import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UniverseError } from "../../../universe/errors.js";
import type { PackageDefinition } from "../../../universe/models/index.js";
import { renderCosmosTemplate, renderInstallPlan } from "../../../universe/render/index.js";

const TEMPLATE = `{
  "id": "x",
  "cmd": "{{s}}",
  "args": {{arr}},
  "labels": {"n": "{{n}}", "b": "{{b}}", "raw": "{{{s}}}"},
  "env": {"S": "{{s}}"},
  "each": [{{#arr}}{{.}}, {{/arr}}"end"],
  "nums": {{nums}},
  "n": {{n}}
}`;

/** Strings with the characters that break naive templating: quotes, backslashes, control characters, any unicode. */
const nasty = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      "\\",
      "\n",
      "\r",
      "\t",
      "\u0000",
      "\u001f",
      "\u2028",
      "{",
      "}",
      "é",
      "😀",
      "/",
    ),
  }),
);
/** Numbers JSON can hold, integral floats among them. */
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(256.0, 1e21, -0, 0.1),
);

function definition(template: string): PackageDefinition {
  return {
    metadata: {
      packagingVersion: "flotilla/1",
      name: "prop",
      version: "1.0.0",
      maintainer: "m",
      description: "d",
      tags: [],
    },
    releaseVersion: 0,
    format: "flotilla",
    config: {
      type: "object",
      properties: {
        s: { type: "string", default: "" },
        n: { type: "number", default: 0 },
        b: { type: "boolean", default: false },
        arr: { type: "array", items: { type: "string" }, default: [] },
        nums: { type: "array", items: { type: "number" }, default: [] },
      },
    },
    templates: { marathon: template },
    warnings: [],
  };
}

describe("rendering random option values", () => {
  it("yields valid JSON whose fields give back the original values", () => {
    fc.assert(
      fc.property(
        nasty,
        number,
        fc.boolean(),
        fc.array(nasty, { maxLength: 4 }),
        fc.array(number, { maxLength: 4 }),
        (s, n, b, arr, nums) => {
          const doc = JSON.parse(renderCosmosTemplate(TEMPLATE, { s, n, b, arr, nums }));
          expect(doc.cmd).toBe(s);
          expect(doc.labels.raw).toBe(s);
          expect(doc.env.S).toBe(s);
          expect(doc.args).toEqual(arr);
          expect(doc.nums).toEqual(nums.map((x) => (Object.is(x, -0) ? 0 : x)));
          expect(Number(doc.labels.n)).toBe(n === 0 ? 0 : n);
          expect(doc.n).toBe(n === 0 ? 0 : n);
          expect(doc.labels.b).toBe(String(b));
          // Iterating an array yields its elements in Cosmos's form: strings keep their quotes.
          expect(doc.each).toEqual([...arr, "end"]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("carries the values through a whole install plan unchanged", () => {
    // Marathon wants cmd or args, not both, so the values travel in env, labels and an extra field.
    const def = definition(
      '{"id": "x", "cmd": "run", "env": {"S": "{{s}}"}, "labels": {"n": "{{n}}"}, "argv": {{arr}}}',
    );
    fc.assert(
      fc.property(nasty, number, fc.array(nasty, { maxLength: 3 }), (s, n, arr) => {
        const { plan } = renderInstallPlan(def, { options: { s, n, arr } });
        const app = plan.apps[0]!;
        expect(app.env.S).toBe(s);
        expect(Number(app.labels.n)).toBe(n === 0 ? 0 : n);
        expect((app as Record<string, unknown>).argv).toEqual(arr);
      }),
      { numRuns: 200 },
    );
  });

  it("never crashes and never writes a value wrongly, whatever JSON lands wherever in a template", () => {
    const positions = fc.constantFrom(
      '{"id": "x", "cmd": "{{v}}"}',
      '{"id": "x", "cmd": "run", "n": {{v}}}',
      '{"id": "x", "cmd": "run", "l": [{{#v}}{{.}},{{/v}} 0]}',
      '{"id": "x", "cmd": "run", "j": {{#asJson}}v{{/asJson}}}',
    );
    const def = (t: string): PackageDefinition => ({ ...definition(t), config: { type: "object" } });
    const parsesAlone = (text: string) => {
      try {
        return { value: JSON.parse(text) as unknown };
      } catch {
        return undefined;
      }
    };
    fc.assert(
      fc.property(positions, fc.jsonValue(), (template, v) => {
        let app: Record<string, unknown> | undefined;
        try {
          app = renderInstallPlan(def(template), { options: { v } }).plan.apps[0] as Record<string, unknown>;
        } catch (e) {
          expect(e).toBeInstanceOf(UniverseError);
          expect(["TEMPLATE_NOT_OBJECT", "INVALID_PLAN"]).toContain((e as UniverseError).code);
          return;
        }
        // JSON has no -0: compare with what JSON makes of the value.
        const asJson = JSON.parse(JSON.stringify(v)) as unknown;
        if (template.includes('"cmd": "{{v}}"') && typeof v === "string") expect(app.cmd).toBe(v);
        if (template.includes('"n": {{v}}') && typeof v !== "string" && v !== null)
          expect(app.n).toEqual(asJson);
        if (template.includes('"l"') && Array.isArray(v))
          expect(app.l).toEqual([...(asJson as unknown[]), 0]);
        if (template.includes("asJson") && typeof v !== "string") expect(app.j).toBeNull();
        if (template.includes("asJson") && typeof v === "string" && parsesAlone(v)) {
          expect(app.j).toEqual(parsesAlone(v)?.value);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Mustache rendering with Cosmos's rules. Cosmos converted the *context* before rendering
 * (PackageDefinitionRenderer.jsonToJava) and wrote values out unescaped, so templates written
 * for DC/OS expect:
 *
 * - `{{x}}` and `{{{x}}}` print the same thing (no HTML escaping);
 * - a string prints JSON-escaped without its quotes (`a"b` → `a\"b`, newline → `\n`), so it
 *   can sit between quotes in the template; inside an array it keeps its quotes;
 * - an array prints as `[e1, e2]` of its converted elements (`["a", "b"]`, `[1, 2]`), and
 *   iterating it with `{{#arr}}{{.}}{{/arr}}` yields those same elements (quoted strings);
 * - an object prints as JSON (Cosmos printed Java's `{k=v}`, which no template could use);
 * - numbers print as JSON numbers, integral ones without `.0` (256.0 → 256);
 * - `null` prints nothing, as mustache.java printed a null value (and `null` inside a printed
 *   array or object); printing `null` would turn `"{{x}}"` into the string "null";
 * - sections test truthiness as mustache.java did: false, null, "" and [] are false, while
 *   numbers, 0 included, are true (mustache.js would skip `{{#n}}` for 0);
 * - `{{#asJson}}name{{/asJson}}` writes the top-level value `name`, a string holding JSON, as
 *   is; `null` when it is absent or not a string.
 */
import Mustache from "mustache";
import { UniverseError } from "../errors.js";
import { isJsonObject, setOwn } from "../options/merge.js";

/** Gives a converted value the text it prints as; a symbol key that templates cannot name. */
const printsAs = <T extends object>(target: T, text: () => string): T =>
  Object.defineProperty(target, Symbol.toPrimitive, { value: text, enumerable: false });

const printed = (v: unknown): string => (v === null || v === undefined ? "null" : String(v));

/**
 * The view mustache.js renders: leaves already in their printed form, arrays still arrays and
 * objects still objects (so sections iterate and descend), both printing as Cosmos did.
 * Objects have no prototype, so `{{constructor}}` or `{{toString}}` find nothing.
 */
function convert(value: unknown, inArray: boolean): unknown {
  if (value === null || typeof value === "boolean") return value;
  // A string, not a number: mustache.java treated every number as true in sections.
  if (typeof value === "number") return JSON.stringify(value);
  if (typeof value === "string") return inArray ? JSON.stringify(value) : JSON.stringify(value).slice(1, -1);
  if (Array.isArray(value)) {
    const items = value.map((v) => convert(v, true));
    // Templates written for Cosmos's Java mustache call List methods, e.g.
    // {{^list.isEmpty}}…{{/list.isEmpty}}; give converted arrays those two as hidden properties.
    Object.defineProperty(items, "isEmpty", { value: items.length === 0, enumerable: false });
    Object.defineProperty(items, "size", { value: items.length, enumerable: false });
    return printsAs(items, () => `[${items.map(printed).join(", ")}]`);
  }
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(value)) setOwn(out, key, convert(value[key], false));
    return printsAs(out, () => JSON.stringify(value));
  }
  return undefined;
}

/** What a variable tag writes: the converted value unchanged (mustache.js would HTML-escape). */
const writeAsIs = (v: unknown): string => (typeof v === "function" || v == null ? "" : String(v));

/** A small bounded cache of parsed templates (mustache.js's own grows without limit). */
function boundedCache(limit: number) {
  const entries = new Map<string, unknown>();
  return {
    get: (key: string) => entries.get(key),
    set(key: string, tokens: unknown) {
      if (entries.size >= limit) entries.delete(entries.keys().next().value as string);
      entries.set(key, tokens);
    },
    clear: () => entries.clear(),
  };
}

const writer = new Mustache.Writer();
(writer as unknown as { templateCache: ReturnType<typeof boundedCache> }).templateCache = boundedCache(64);

function templateError(file: string, template: string, e: unknown): UniverseError {
  const message = e instanceof Error ? e.message : String(e);
  const at = /\bat (\d+)$/.exec(message);
  let where = "";
  if (at) {
    const before = template.slice(0, Number(at[1]));
    const line = before.split("\n").length;
    where = ` (line ${line}, column ${before.length - before.lastIndexOf("\n")})`;
  }
  return new UniverseError("TEMPLATE_ERROR", `${file} could not be rendered: ${message}${where}`);
}

/**
 * Renders `template` with `context` (options with `resource` on top) by Cosmos's rules.
 * Deterministic, and never touches mustache's global settings. Throws TEMPLATE_ERROR when
 * mustache cannot parse the template; `file` names it in the message.
 * @example renderCosmosTemplate('{"cmd": "{{s}}", "args": {{a}}}', { s: 'say "hi"', a: ["x"] })
 *   // → '{"cmd": "say \\"hi\\"", "args": ["x"]}'
 */
export function renderCosmosTemplate(
  template: string,
  context: Record<string, unknown>,
  file = "template",
): string {
  const view = convert(context, false) as Record<string, unknown>;
  const lambda = printsAs(
    (name: string) => {
      const key = name.trim();
      const raw = Object.hasOwn(context, key) ? context[key] : undefined;
      return typeof raw === "string" ? raw : "null";
    },
    () => "",
  );
  // mustache.js calls a function found in the view and uses its result as the section lambda.
  setOwn(view, "asJson", () => lambda);
  try {
    return writer.render(template, view, undefined, { escape: writeAsIs, tags: ["{{", "}}"] });
  } catch (e) {
    throw templateError(file, template, e);
  }
}

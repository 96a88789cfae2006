/**
 * Validates option documents against a package's config.json with @cfworker/json-schema (no
 * code generation, so it runs on Workers). Universe configs are draft 4; a declared `$schema`
 * of a later draft is honoured. The validator reports every failure together with the
 * "property x does not match" wrappers of each parent; only the most specific failures are
 * kept, each as a JSON pointer, the rule that failed, the offending value and a message.
 */
import type { OutputUnit, Validator } from "@cfworker/json-schema";
import { UniverseError } from "../errors.js";
import type { ConfigSchema } from "../models/config.js";
import { compileConfig } from "./compile.js";
import { isJsonObject } from "./merge.js";
import { ruleMessage } from "./messages.js";

/** One failing field of an options document, ready for an error response or a form. */
export interface OptionError {
  /** JSON pointer of the failing field (`/service/cpus`); `/` is the whole document. */
  pointer: string;
  /** The JSON Schema keyword that failed: `minimum`, `type`, `required`, `enum`, … */
  rule: string;
  /** The offending value (undefined for a missing required field). */
  value: unknown;
  message: string;
}

/** Segments of a location the validator wrote (`#/a%20b/c~1d` → ["a b", "c/d"]). */
function segments(location: string): string[] {
  const pointer = location.replace(/^#/, "");
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => decodeURIComponent(s).replaceAll("~1", "/").replaceAll("~0", "~"));
}

const toPointer = (path: readonly string[]): string =>
  path.length === 0 ? "/" : path.map((p) => `/${p.replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");

function valueAt(doc: unknown, path: readonly string[]): unknown {
  let node = doc;
  for (const key of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Follows a keyword location through the schema, jumping through local `$ref`s. */
function keywordAt(root: Record<string, unknown>, location: string) {
  let parent: unknown;
  let node: unknown = root;
  for (const key of segments(location)) {
    if (key === "$ref" && isJsonObject(node) && typeof node.$ref === "string" && node.$ref.startsWith("#")) {
      node = valueAt(root, segments(node.$ref));
      continue;
    }
    parent = node;
    node = isJsonObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return { schema: isJsonObject(parent) ? parent : undefined, value: node };
}

/** Keywords whose error only wraps the errors of a subschema. */
const WRAPPERS = new Set([
  "properties",
  "patternProperties",
  "additionalProperties",
  "unevaluatedProperties",
  "items",
  "prefixItems",
  "additionalItems",
  "unevaluatedItems",
  "$ref",
  "$recursiveRef",
  "if",
  "allOf",
  "dependentSchemas",
  "dependencies",
]);
/** Keywords whose subschema errors are alternatives that were tried, not faults of their own. */
const SUMMARIES = new Set(["anyOf", "oneOf", "contains", "propertyNames"]);

/**
 * The most specific failures among the validator's output, in its order. The validator writes
 * a wrapper error immediately before the errors of its subschema, so a wrapper's children are
 * the errors that follow it with a keyword location below its own.
 */
function specific(errors: readonly OutputUnit[]): { unit: OutputUnit; at: string }[] {
  const kept: { unit: OutputUnit; at: string }[] = [];
  const hidden: string[] = [];
  const below = (e: OutputUnit, prefix: string) => e.keywordLocation.startsWith(`${prefix}/`);
  for (let i = 0; i < errors.length; i++) {
    const e = errors[i]!;
    const next = errors[i + 1];
    if (hidden.some((prefix) => below(e, prefix))) continue;
    // A `false` schema (additionalProperties: false) fails below its wrapper, which names the rule.
    if (next?.keyword === "false" && WRAPPERS.has(e.keyword)) {
      kept.push({
        unit: { ...next, keyword: e.keyword, keywordLocation: e.keywordLocation },
        at: next.instanceLocation,
      });
      i++;
      continue;
    }
    const hasChildren = next !== undefined && below(next, e.keywordLocation);
    if (hasChildren && WRAPPERS.has(e.keyword)) continue;
    if (hasChildren && SUMMARIES.has(e.keyword)) hidden.push(e.keywordLocation);
    kept.push({ unit: e, at: e.instanceLocation });
  }
  return kept;
}

/**
 * Every way `options` fails `config` ([] when valid).
 * @example validateOptions(config, { service: { cpus: 0.01 } })
 *   // → [{ pointer: "/service/cpus", rule: "minimum", value: 0.01, message: "must be >= 0.1" }]
 */
export function validateOptions(config: ConfigSchema, options: unknown): OptionError[] {
  const notJson = nonJsonErrors(options);
  if (notJson.length > 0) return notJson;
  const { validator, draft, schema } = compileConfig(config);
  let result: ReturnType<Validator["validate"]>;
  try {
    result = validator.validate(options);
  } catch (e) {
    throw new UniverseError("INVALID_PACKAGE", `config.json could not be applied: ${(e as Error).message}`);
  }
  if (result.valid) return [];
  const out: OptionError[] = [];
  const seen = new Set<string>();
  for (const { unit, at } of specific(result.errors)) {
    const path = segments(at);
    const missing =
      unit.keyword === "required" ? /required property "(.*)"/.exec(unit.error)?.[1] : undefined;
    if (missing !== undefined) path.push(missing);
    const { schema: holder, value: keywordValue } = keywordAt(schema, unit.keywordLocation);
    const message = ruleMessage({
      rule: unit.keyword,
      keywordValue,
      schema: holder,
      draft,
      fallback: unit.error,
    });
    const error = { pointer: toPointer(path), rule: unit.keyword, value: valueAt(options, path), message };
    const key = `${error.pointer}\n${error.rule}\n${message}`;
    if (!seen.has(key)) out.push(error);
    seen.add(key);
  }
  return out;
}

/** Values a JSON document cannot hold (undefined, functions, NaN, Dates, …), as errors. */
export function nonJsonErrors(value: unknown, path: string[] = []): OptionError[] {
  const error = (what: string): OptionError[] => [
    { pointer: toPointer(path), rule: "type", value, message: `must be a JSON value, not ${what}` },
  ];
  if (value === null || typeof value === "string" || typeof value === "boolean") return [];
  if (typeof value === "number") return Number.isFinite(value) ? [] : error(String(value));
  if (Array.isArray(value)) return value.flatMap((v, i) => nonJsonErrors(v, [...path, String(i)]));
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      return error(`a ${proto?.constructor?.name ?? "class"} object`);
    return Object.keys(value).flatMap((k) =>
      nonJsonErrors((value as Record<string, unknown>)[k], [...path, k]),
    );
  }
  return error(typeof value === "undefined" ? "undefined" : `a ${typeof value}`);
}

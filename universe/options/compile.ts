/**
 * Compiles a package's config.json into a @cfworker/json-schema validator, once per config
 * object (options are validated on every render and install). The validator works on its
 * own copy of the schema, because it annotates the schema it is given and compiles `pattern`
 * with the Unicode flag, which rejects escapes that the Java validator Cosmos used accepted.
 */
import { type SchemaDraft, Validator } from "@cfworker/json-schema";
import { UniverseError } from "../errors.js";
import type { ConfigSchema } from "../models/config.js";
import { cloneJson, isJsonObject } from "./merge.js";

/** A compiled config: the validator, the draft it applies, and the schema copy it reads. */
export interface Compiled {
  validator: Validator;
  draft: SchemaDraft;
  /** The validator's private copy of the schema, which keyword locations point into. */
  schema: Record<string, unknown>;
}

/** Keyed by the config object itself, so a definition dropped from memory takes its validator along. */
const compiled = new WeakMap<object, Compiled>();

/** The draft a config.json declares through `$schema`; draft 4 when it declares none. */
export function schemaDraft(config: ConfigSchema): SchemaDraft {
  const declared = typeof config.$schema === "string" ? config.$schema : "";
  if (declared.includes("2020-12")) return "2020-12";
  if (declared.includes("2019-09")) return "2019-09";
  // The validator has no draft 6 mode; draft 7 only adds keywords to it.
  if (/draft-0[67]/.test(declared)) return "7";
  return "4";
}

/** Drops backslashes that non-Unicode regexes ignore but the validator's `u` flag rejects (`\_`, `\-`). */
function unicodeSafePattern(pattern: string): string {
  try {
    new RegExp(pattern, "u");
    return pattern;
  } catch {
    let inClass = false;
    return pattern.replace(/\\(.)|\[|\]/gsu, (m, c: string | undefined) => {
      if (c === undefined) inClass = m === "[" ? true : m === "]" ? false : inClass;
      if (c === undefined || /[A-Za-z0-9^$\\.*+?()[\]{}|/]/u.test(c) || (c === "-" && inClass)) return m;
      return c;
    });
  }
}

function fixPatterns(node: unknown): void {
  if (Array.isArray(node)) for (const item of node) fixPatterns(item);
  if (!isJsonObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === "default" || key === "enum" || key === "const" || key === "examples") continue;
    if (key === "pattern" && typeof value === "string") node.pattern = unicodeSafePattern(value);
    else if (key === "patternProperties" && isJsonObject(value)) {
      node.patternProperties = Object.fromEntries(
        Object.entries(value).map(([p, s]) => [unicodeSafePattern(p), s]),
      );
    }
    fixPatterns(node[key]);
  }
}

/**
 * The validator of a config.json, compiled once per config object.
 * Throws INVALID_PACKAGE when the schema cannot be used (a bad `id`, a duplicate URI).
 */
export function compileConfig(config: ConfigSchema): Compiled {
  const hit = compiled.get(config);
  if (hit) return hit;
  // The validator annotates the schema it is given; a copy keeps package data untouched.
  const schema = cloneJson(config);
  fixPatterns(schema);
  const draft = schemaDraft(config);
  try {
    const entry = { validator: new Validator(schema, draft, false), draft, schema };
    compiled.set(config, entry);
    return entry;
  } catch (e) {
    throw new UniverseError(
      "INVALID_PACKAGE",
      `config.json is not a usable JSON Schema: ${(e as Error).message}`,
    );
  }
}

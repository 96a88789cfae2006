/**
 * Resolves the options of one install the way Cosmos did: the package's defaults, the user's
 * options deep-merged over them, the result validated against config.json. The user's own
 * options are kept apart because they, not the merged result, are what gets recorded
 * (DCOS_PACKAGE_OPTIONS) and replayed on upgrade.
 */
import { UniverseError } from "../errors.js";
import type { PackageDefinition } from "../models/package.js";
import { collectDefaults } from "./defaults.js";
import { cloneJson, isJsonObject, mergeOptions, setOwn } from "./merge.js";
import { nonJsonErrors, type OptionError, validateOptions } from "./validate.js";

/** The two option documents of an install: what the user gave, and what was rendered. */
export interface ResolvedOptions {
  /** The options the user gave, as a fresh JSON object. */
  user: Record<string, unknown>;
  /** Defaults with the user's options merged over them; valid against config.json. */
  resolved: Record<string, unknown>;
}

const kindOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? "an object" : `a ${typeof v}`;

/** `/service/cpus: must be >= 0.1 (got 0.01)` */
export function formatOptionError(e: OptionError): string {
  if (e.value === undefined) return `${e.pointer}: ${e.message}`;
  let got = JSON.stringify(e.value) ?? String(e.value);
  if (got.length > 80) got = `${got.slice(0, 77)}…`;
  return `${e.pointer}: ${e.message} (got ${got})`;
}

function invalid(name: string, errors: OptionError[]): UniverseError {
  return new UniverseError(
    "OPTIONS_INVALID",
    `Options for [${name}] failed validation: ${errors.map(formatOptionError).join("; ")}`,
    { errors },
  );
}

/** A copy without `undefined` members, which JSON (and so any wire format) cannot carry. */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (!isJsonObject(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (value[key] !== undefined) setOwn(out, key, withoutUndefined(value[key]));
  }
  return out;
}

/**
 * The user's and the resolved options of installing `def` with `userOptions`.
 * `undefined` and `null` mean "no options", as an absent or null `options` field did in Cosmos.
 * Throws OPTIONS_INVALID (not an object, or failing config.json, with every failing field) or
 * OPTIONS_NOT_ALLOWED (options given to a package without config.json).
 */
export function resolveOptions(def: PackageDefinition, userOptions: unknown): ResolvedOptions {
  const name = def.metadata.name;
  const given = userOptions === undefined || userOptions === null ? {} : withoutUndefined(userOptions);
  if (!isJsonObject(given)) {
    throw new UniverseError(
      "OPTIONS_INVALID",
      `Options for [${name}] must be a JSON object, got ${kindOf(given)}`,
      {
        errors: [{ pointer: "/", rule: "type", value: given, message: "must be an object" }],
      },
    );
  }
  const notJson = nonJsonErrors(given);
  if (notJson.length > 0) throw invalid(name, notJson);
  const user = cloneJson(given);

  if (def.config === undefined) {
    if (Object.keys(user).length > 0) {
      throw new UniverseError("OPTIONS_NOT_ALLOWED", `Package [${name}] does not take options`, {
        options: Object.keys(user),
      });
    }
    return { user, resolved: {} };
  }
  // Validated even when empty (Cosmos skipped that case): a required option without a
  // default is better reported than rendered as an empty value.
  const resolved = mergeOptions(collectDefaults(def.config), user);
  const errors = validateOptions(def.config, resolved);
  if (errors.length > 0) throw invalid(name, errors);
  return { user, resolved };
}

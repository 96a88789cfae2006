/**
 * The default options of a package: every `default` written in its config.json, collected
 * recursively through `properties`, with the rule Cosmos used (JsonSchema.extractDefaultsFromSchema):
 *
 * - a property with its own `default` takes that value as written, and its sub-properties'
 *   defaults are NOT merged into it: the author wrote the whole value on purpose, and Cosmos
 *   rendered exactly that value;
 * - a property without `default` but with `properties` yields an object of its sub-defaults,
 *   which may be `{}` (Cosmos kept empty objects too, so `{{#section}}` blocks over them
 *   render the same way they did under Cosmos);
 * - anything else (no default, no properties) is left out.
 *
 * Only `properties` is followed (not `$ref`, `allOf` or `items`), again as Cosmos did.
 */
import type { ConfigSchema } from "../models/config.js";
import { cloneJson, isJsonObject, setOwn } from "./merge.js";

/**
 * The defaults document of a config.json schema.
 * @example collectDefaults({ properties: { service: { properties: { cpus: { default: 0.1 } } } } })
 *   // → { service: { cpus: 0.1 } }
 */
export function collectDefaults(config: ConfigSchema | undefined): Record<string, unknown> {
  return isJsonObject(config) ? defaultsOf(config.properties) : {};
}

function defaultsOf(properties: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isJsonObject(properties)) return out;
  for (const name of Object.keys(properties)) {
    const property = properties[name];
    if (!isJsonObject(property)) continue;
    if (Object.hasOwn(property, "default")) {
      // A copy: the caller may merge into or hand out the result; the schema must not change.
      setOwn(out, name, cloneJson(property.default));
    } else if (isJsonObject(property.properties)) {
      setOwn(out, name, defaultsOf(property.properties));
    }
  }
  return out;
}

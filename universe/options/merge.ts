/**
 * Deep merge of option documents, the way Cosmos merged defaults with user options: objects
 * merge key by key, everything else (arrays, scalars, null) replaces. The result shares no
 * object with its inputs, so callers may hand it out and change it freely.
 */

/** A plain JSON object (not an array, not null). */
export const isJsonObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Sets `key` as an own, enumerable data property. Plain assignment of `__proto__` would
 * change the object's prototype instead (prototype pollution); defining it keeps such keys
 * as ordinary data, exactly as JSON.parse does.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of a JSON value (objects and arrays copied, scalars as they are). */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => cloneJson(v)) as T;
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) setOwn(out, key, cloneJson(value[key]));
    return out as T;
  }
  return value;
}

/**
 * Merges `override` over `base` without changing either.
 * @example mergeOptions({ service: { cpus: 1, mem: 256 } }, { service: { cpus: 2 } })
 *   // → { service: { cpus: 2, mem: 256 } }
 */
export function mergeOptions(
  base: Record<string, unknown>,
  override: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(base)) setOwn(out, key, cloneJson(base[key]));
  for (const key of Object.keys(override)) {
    // Own-property checks only: `base.constructor` would otherwise find Object.prototype's.
    const before = Object.hasOwn(out, key) ? out[key] : undefined;
    const next = override[key];
    setOwn(
      out,
      key,
      isJsonObject(before) && isJsonObject(next) ? mergeOptions(before, next) : cloneJson(next),
    );
  }
  return out;
}

/**
 * Package options from the command line: `--options file.json` and repeated
 * `--set key.path=value`, the sets merged over the file. A value is read as JSON when it
 * parses (`3`, `true`, `["a"]`, `{"x":1}`, `"quoted"`) and as a plain string otherwise.
 */
import { readFile } from "node:fs/promises";
import { usageError } from "./errors.js";

export type Options = Record<string, unknown>;

const isObject = (v: unknown): v is Options => typeof v === "object" && v !== null && !Array.isArray(v);

/** `a.b=3` → `{a: {b: 3}}` merged into `into`. */
export function applySet(into: Options, assignment: string): Options {
  const eq = assignment.indexOf("=");
  if (eq <= 0) throw usageError(`--set ${assignment}: write it as key.path=value (e.g. service.instances=3)`);
  const path = assignment.slice(0, eq).split(".");
  if (path.some((p) => p === "")) throw usageError(`--set ${assignment}: the key path has an empty segment`);
  const text = assignment.slice(eq + 1);
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // not JSON: keep the string as written
  }
  let node = into;
  path.slice(0, -1).forEach((key, i) => {
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (!isObject(next)) {
      throw usageError(
        `--set ${assignment}: ${path.slice(0, i + 1).join(".")} is already ${JSON.stringify(next)}, not an object`,
      );
    }
    node = node[key] as Options;
  });
  node[path[path.length - 1] as string] = value;
  return into;
}

/** Deep merge: objects merge key by key, anything else in `over` replaces. */
export function mergeOptions(base: Options, over: Options): Options {
  const out: Options = { ...base };
  for (const [k, v] of Object.entries(over))
    out[k] = isObject(v) && isObject(out[k]) ? mergeOptions(out[k], v) : v;
  return out;
}

/** The options the user gave, or undefined when they gave none. */
export async function readOptions(
  file: string | undefined,
  sets: readonly string[],
): Promise<Options | undefined> {
  if (file === undefined && sets.length === 0) return undefined;
  let options: Options = {};
  if (file !== undefined) {
    if (file === "") throw usageError("--options needs a file name");
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      throw usageError(
        `--options ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw usageError(`--options ${file} is not JSON: ${(e as Error).message}`);
    }
    if (!isObject(json)) throw usageError(`--options ${file} must hold a JSON object of options`);
    options = json;
  }
  const fromSets: Options = {};
  for (const s of sets) applySet(fromSets, s);
  return mergeOptions(options, fromSets);
}

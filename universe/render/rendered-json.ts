/**
 * Turns a rendered template into the JSON object it must be (Cosmos's
 * MarathonTemplateMustBeJsonObject). When the text does not parse, the error points at the
 * place in the *rendered* text with a short excerpt, since that is where an option value or
 * a template typo broke the JSON.
 */
import { UniverseError } from "../errors.js";
import { isJsonObject } from "../options/merge.js";
import { renderCosmosTemplate } from "./cosmos-mustache.js";

const kindOf = (v: unknown): string =>
  v === null ? "null" : Array.isArray(v) ? "an array" : `a ${typeof v}`;

/** Where JSON.parse stopped, from V8's messages ("at position 42", "(line 3 column 5)", end of input). */
function failurePosition(text: string, message: string): number | undefined {
  const position = /at position (\d+)/.exec(message);
  if (position) return Number(position[1]);
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) {
    const lines = text.split("\n").slice(0, Number(lineColumn[1]) - 1);
    return lines.reduce((n, l) => n + l.length + 1, 0) + Number(lineColumn[2]) - 1;
  }
  if (/end of (JSON )?input/i.test(message)) return text.length;
  return undefined;
}

/** ` (rendered line 3, column 12, near: "cpus": 0.1 "mem")` for a failure at `position`. */
function near(text: string, position: number): { where: string; excerpt: string } {
  const before = text.slice(0, position);
  const line = before.split("\n").length;
  const column = position - before.lastIndexOf("\n");
  const excerpt = text
    .slice(Math.max(0, position - 40), position + 20)
    .replace(/\s+/g, " ")
    .trim();
  return { where: ` (rendered line ${line}, column ${column}, near: ${excerpt})`, excerpt };
}

/**
 * Renders `template` and parses the result, which must be a JSON object.
 * Throws TEMPLATE_ERROR (mustache failed) or TEMPLATE_NOT_OBJECT (not JSON, or not an object).
 */
export function renderJsonObject(
  template: string,
  context: Record<string, unknown>,
  file: string,
): Record<string, unknown> {
  const text = renderCosmosTemplate(template, context, file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    const reason = (e as Error).message;
    const position = failurePosition(text, reason);
    const at = position === undefined ? undefined : near(text, position);
    throw new UniverseError(
      "TEMPLATE_NOT_OBJECT",
      `${file} did not render to a JSON object: ${reason}${at?.where ?? ""}`,
      { file, reason, ...(at ? { position, excerpt: at.excerpt } : {}) },
    );
  }
  if (!isJsonObject(parsed)) {
    throw new UniverseError(
      "TEMPLATE_NOT_OBJECT",
      `${file} did not render to a JSON object: got ${kindOf(parsed)}`,
      {
        file,
        got: kindOf(parsed),
      },
    );
  }
  return parsed;
}

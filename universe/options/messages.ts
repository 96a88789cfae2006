/**
 * Readable messages for option-validation failures, one per JSON Schema rule, written from
 * the schema's own values ("must be >= 0.1") rather than the validator's prose, so that the
 * CLI, the dashboard and the Cosmos API all say which field failed and why.
 */
import type { SchemaDraft } from "@cfworker/json-schema";

const article = (type: string): string =>
  type === "integer" || type === "array" || type === "object" ? "an" : "a";

function typeList(value: unknown): string {
  const types = (Array.isArray(value) ? value : [value]).map((t) => `${article(String(t))} ${String(t)}`);
  return types.length <= 1 ? (types[0] ?? "a value") : `${types.slice(0, -1).join(", ")} or ${types.at(-1)}`;
}

function valueList(values: unknown): string {
  if (!Array.isArray(values)) return "one of the allowed values";
  const shown = values.slice(0, 10).map((v) => JSON.stringify(v));
  return values.length > 10 ? `${shown.join(", ")}, … (${values.length} allowed values)` : shown.join(", ");
}

/** Rules whose message quotes the keyword's value from the schema. */
const NEEDS_VALUE = new Set([
  "type",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "enum",
  "const",
  "minItems",
  "maxItems",
  "minProperties",
  "maxProperties",
]);

/** The validator's own sentence, in the lower-case, no-full-stop form of the other messages. */
const plain = (message: string): string =>
  message
    .replace(/^Instance /, "the value ")
    .replace(/\s+/g, " ")
    .replace(/\.$/, "");

/** What the failing keyword's schema says, as found by following the keyword location. */
export interface RuleContext {
  rule: string;
  /** The keyword's value in the schema (`0.1` for minimum), if it could be found. */
  keywordValue: unknown;
  /** The schema object holding the keyword (draft 4 puts `exclusiveMinimum: true` beside `minimum`). */
  schema: Record<string, unknown> | undefined;
  draft: SchemaDraft;
  /** The validator's own wording, used when no better one is known. */
  fallback: string;
}

/** The message for one failing rule, without the offending value (callers add "(got …)"). */
export function ruleMessage({ rule, keywordValue: v, schema, draft, fallback }: RuleContext): string {
  // A keyword reached through a remote $ref cannot be looked up; the validator's words will do.
  if (v === undefined && NEEDS_VALUE.has(rule)) return plain(fallback);
  const exclusive = (flag: string) => draft === "4" && schema?.[flag] === true;
  switch (rule) {
    case "type":
      return `must be ${typeList(v)}`;
    case "minimum":
      return `must be ${exclusive("exclusiveMinimum") ? ">" : ">="} ${String(v)}`;
    case "maximum":
      return `must be ${exclusive("exclusiveMaximum") ? "<" : "<="} ${String(v)}`;
    case "exclusiveMinimum":
      return `must be > ${String(v)}`;
    case "exclusiveMaximum":
      return `must be < ${String(v)}`;
    case "multipleOf":
      return `must be a multiple of ${String(v)}`;
    case "minLength":
      return `must be at least ${String(v)} characters long`;
    case "maxLength":
      return `must be at most ${String(v)} characters long`;
    case "pattern":
      return `must match the pattern ${String(v)}`;
    case "format":
      return `must be a valid ${String(v)}`;
    case "enum":
      return `must be one of ${valueList(v)}`;
    case "const":
      return `must be ${JSON.stringify(v)}`;
    case "required":
      return "is required";
    case "additionalProperties":
    case "unevaluatedProperties":
      return "is not an allowed property";
    case "items":
    case "additionalItems":
    case "unevaluatedItems":
    case "false":
      return "is not allowed here";
    case "minItems":
      return `must have at least ${String(v)} items`;
    case "maxItems":
      return `must have at most ${String(v)} items`;
    case "uniqueItems":
      return "must not contain duplicate items";
    case "minProperties":
      return `must have at least ${String(v)} properties`;
    case "maxProperties":
      return `must have at most ${String(v)} properties`;
    case "not":
      return 'must not match the schema under "not"';
    case "anyOf":
      return "must match at least one of the allowed forms (anyOf)";
    case "oneOf":
      return "must match exactly one of the allowed forms (oneOf)";
    case "contains":
      return "must contain at least one matching item";
    default:
      return plain(fallback);
  }
}

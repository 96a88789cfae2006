/**
 * Turns zod issues into the one-line-per-problem form used in every validation error:
 * a JSON pointer to the offending field, then what was wrong.
 */
import type { z } from "zod";

/** `/healthChecks/0/protocol: Invalid option: expected one of "HTTP"|"TCP"` */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): string[] {
  return issues.map((issue) => `${prefix}${toPointer(issue.path)}: ${issue.message}`);
}

/** RFC 6901 JSON pointer for a path of keys ("" is the document itself). */
export function toPointer(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "/";
  return path.map((p) => `/${String(p).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("");
}

/** Names of keys present in `input` that the schema does not declare. */
export function unknownKeys(input: unknown, known: ReadonlySet<string>): string[] {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return [];
  return Object.keys(input).filter((k) => !known.has(k));
}

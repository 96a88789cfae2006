/**
 * RFC 9457 problem documents: what every error looks like on the wire (the Cosmos routes use
 * their own shape, see routes/cosmos). `code` is stable for scripts; `detail` is for people.
 */
import type { Context } from "hono";
import type { ApiError } from "./errors.js";

export const PROBLEM_JSON = "application/problem+json";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  reason?: string;
  requestId: string;
  [key: string]: unknown;
}

export function problemOf(err: ApiError, requestId: string): Problem {
  const problem: Problem = {
    type: `https://flotilla.dev/problems/${err.code.toLowerCase().replaceAll("_", "-")}`,
    title: err.code,
    status: err.status,
    detail: err.message,
    code: err.code,
    requestId,
  };
  if (err.reason) problem.reason = err.reason;
  if (err.details) Object.assign(problem, { details: err.details });
  return problem;
}

export function problemResponse(c: Context, err: ApiError, requestId: string): Response {
  return c.body(JSON.stringify(problemOf(err, requestId)), err.status, { "content-type": PROBLEM_JSON });
}

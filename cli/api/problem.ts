/**
 * Turns a refusal from the gateway (an `application/problem+json` document, or whatever a
 * proxy in between answered) into a CliError that says what was wrong and what to do.
 */
import { CliError } from "../errors.js";

/** A refusal keeps its HTTP status, for the few callers that act on one (404 while waiting). */
export class GatewayRefusal extends CliError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message, 1);
  }
}

interface Problem {
  detail?: unknown;
  title?: unknown;
  code?: unknown;
  requestId?: unknown;
  details?: { errors?: unknown };
}

const asProblem = (text: string): Problem | undefined => {
  try {
    const json = JSON.parse(text) as unknown;
    return typeof json === "object" && json !== null ? (json as Problem) : undefined;
  } catch {
    return undefined;
  }
};

/** Option errors of a render or install (`details.errors`), one per line. */
function detailLines(problem: Problem, detail: string): string[] {
  const lines: string[] = [];
  const errors = problem.details?.errors;
  if (Array.isArray(errors)) {
    for (const e of errors.slice(0, 20)) {
      const { pointer, message } = (e ?? {}) as { pointer?: unknown; message?: unknown };
      const where = typeof pointer === "string" ? pointer || "/" : "?";
      // The detail often names the first failures already; list only what it does not.
      if (typeof message === "string" && !detail.includes(`${where}: ${message}`))
        lines.push(`  ${where}: ${message}`);
    }
  }
  return lines;
}

export function refusal(
  status: number,
  statusText: string,
  body: string,
  gateway: string,
  hadToken: boolean,
) {
  const problem = asProblem(body);
  const detail =
    typeof problem?.detail === "string"
      ? problem.detail
      : body.trim().slice(0, 300) || `${status} ${statusText}`.trim();
  const lines = [detail, ...(problem ? detailLines(problem, detail) : [])];
  if (status === 401) {
    lines.push(
      hadToken
        ? `The gateway at ${gateway} did not accept the token: run flotilla login ${gateway} --token <token> (or set FLOTILLA_TOKEN) with a valid one.`
        : `No token to send: run flotilla login ${gateway} --token <token>, or pass --token / set FLOTILLA_TOKEN.`,
    );
  } else if (status === 403) {
    lines.push(
      "Use a token with the role or cluster access this needs (an admin can create one: flotilla token create).",
    );
  } else if (status >= 500 && typeof problem?.requestId === "string") {
    lines.push(`The gateway log has the details: search it for request ${problem.requestId}.`);
  }
  return new GatewayRefusal(lines.join("\n"), status);
}

/** Why a connection failed (ECONNREFUSED, ENOTFOUND, …), from fetch's nested causes. */
export function networkCode(e: unknown): string | undefined {
  let cur: unknown = e;
  let deepest: string | undefined;
  for (let depth = 0; depth < 5 && cur; depth++) {
    const c = cur as { code?: unknown; cause?: unknown; errors?: unknown[]; message?: unknown };
    if (typeof c.code === "string") return c.code;
    if (typeof c.message === "string" && c.message) deepest = c.message;
    cur = c.cause ?? (Array.isArray(c.errors) ? c.errors[0] : undefined);
  }
  return deepest;
}

export function unreachable(e: unknown, gateway: string, timeoutMs: number): CliError {
  if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) {
    return new CliError(
      `the gateway at ${gateway} did not answer within ${Math.round(timeoutMs / 1000)}s: is it overloaded, or is ${gateway} the right address?`,
    );
  }
  const code = networkCode(e) ?? (e instanceof Error ? e.message : String(e));
  return new CliError(
    `cannot reach the gateway at ${gateway} (${code}): is the gateway running at ${gateway}? ` +
      "Check --gateway, FLOTILLA_GATEWAY or flotilla login.",
  );
}

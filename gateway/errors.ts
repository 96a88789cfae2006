/**
 * Transport-neutral errors of the gateway. Services throw ApiError with a stable code; the
 * app's error handler turns it into `application/problem+json` (or, on Cosmos routes, the
 * Cosmos error shape). Messages say what was wrong and what to do; a 500 never echoes an
 * internal message.
 */
import { HTTPException } from "hono/http-exception";
import { isUniverseError, type UniverseError } from "../universe/errors.js";

export type ErrorCode =
  | "BAD_REQUEST"
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "GONE"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "NOT_ACCEPTABLE"
  | "PRECONDITION_FAILED"
  | "INTERNAL"
  | "UNAVAILABLE";

export const STATUS: Record<
  ErrorCode,
  400 | 401 | 403 | 404 | 406 | 409 | 410 | 412 | 413 | 415 | 500 | 503
> = {
  BAD_REQUEST: 400,
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  GONE: 410,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** A more precise, stable sub-code (e.g. the universe library's `OPTIONS_INVALID`). */
    readonly reason?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
  get status() {
    return STATUS[this.code];
  }
}

export const notFound = (what: string) => new ApiError("NOT_FOUND", `${what} not found`);
export const conflict = (message: string, reason?: string, details?: Record<string, unknown>) =>
  new ApiError("CONFLICT", message, reason, details);
export const badRequest = (message: string, reason?: string, details?: Record<string, unknown>) =>
  new ApiError("BAD_REQUEST", message, reason, details);

const UNIVERSE_TO_API: Record<UniverseError["code"], ErrorCode> = {
  INVALID_PACKAGE: "VALIDATION",
  INVALID_JSON: "VALIDATION",
  INVALID_PLAN: "VALIDATION",
  TEMPLATE_NOT_OBJECT: "VALIDATION",
  TEMPLATE_ERROR: "VALIDATION",
  OPTIONS_INVALID: "VALIDATION",
  OPTIONS_NOT_ALLOWED: "VALIDATION",
  BUNDLE_INVALID: "VALIDATION",
  BUNDLE_UNSAFE: "VALIDATION",
  BUNDLE_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  VERSION_NOT_FOUND: "NOT_FOUND",
  PACKAGE_NOT_FOUND: "NOT_FOUND",
  DEPENDENCY_CONFLICT: "CONFLICT",
  DEPENDENCY_CYCLE: "CONFLICT",
  UPGRADE_NOT_ALLOWED: "CONFLICT",
  INVALID_ARGUMENT: "BAD_REQUEST",
};

/** Any thrown value as an ApiError; unknown errors become an INTERNAL error with a bland message. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (isUniverseError(e)) return new ApiError(UNIVERSE_TO_API[e.code], e.message, e.code, e.details);
  if (e instanceof HTTPException) {
    // Hono's own refusals, e.g. "Malformed JSON in request body" from the validator.
    const code = (Object.keys(STATUS) as ErrorCode[]).find((k) => STATUS[k] === e.status) ?? "BAD_REQUEST";
    return new ApiError(code === "INTERNAL" ? "BAD_REQUEST" : code, e.message || "bad request");
  }
  return new ApiError(
    "INTERNAL",
    "internal error; the gateway log has the details (search it for the request id)",
  );
}

/**
 * Translates whatever a Cosmos request ran into — a CosmosError, the gateway's ApiError, the
 * universe library's UniverseError, a Hono HTTPException, or a bug — into the Cosmos error a
 * client expects. Stable sub-codes (ApiError.reason: the library's OPTIONS_INVALID, the install
 * service's ALREADY_INSTALLED, …) pick the Cosmos type; an error Cosmos had no name for keeps
 * its status and gets its code as a PascalCase type (REQUIRED_BY → RequiredBy).
 */
import type { OptionError } from "../../../universe/options/validate.js";
import { toApiError } from "../../errors.js";
import { CosmosError, packageNotFound, versionNotFound } from "./errors.js";

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

/** `REQUIRED_BY` → `RequiredBy`. */
const pascal = (code: string) =>
  code
    .toLowerCase()
    .split("_")
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : ""))
    .join("");

/**
 * One failing option as Cosmos's JSON Schema validator reported it (`instance.pointer`,
 * `keyword`, `message`), plus the offending value.
 */
const schemaError = (e: OptionError) => ({
  level: "error",
  instance: { pointer: e.pointer },
  keyword: e.rule,
  message: e.message,
  ...(e.value !== undefined && { value: e.value }),
});

/** Cosmos type (and status) by the gateway's stable reason. */
const BY_REASON: Record<string, (message: string, d: Record<string, unknown>) => CosmosError> = {
  PACKAGE_NOT_FOUND: (m, d) => {
    const name = str(d.package);
    return name === undefined ? new CosmosError("PackageNotFound", m) : packageNotFound(name);
  },
  VERSION_NOT_FOUND: (m, d) => {
    const name = str(d.package);
    const version = str(d.request);
    if (name === undefined || version === undefined) return new CosmosError("VersionNotFound", m);
    const available = Array.isArray(d.available) ? d.available.map(String) : undefined;
    return versionNotFound(name, version, available);
  },
  OPTIONS_INVALID: (m, d) =>
    new CosmosError("JsonSchemaMismatch", `Options JSON failed validation. ${m}`, 400, {
      errors: Array.isArray(d.errors) ? (d.errors as OptionError[]).map(schemaError) : [],
    }),
  OPTIONS_NOT_ALLOWED: (m, d) => new CosmosError("OptionsNotAllowed", m, 400, d),
  TEMPLATE_NOT_OBJECT: (m, d) =>
    new CosmosError(
      "MarathonTemplateMustBeJsonObject",
      `Rendered Marathon JSON must be a JSON object: ${m}`,
      400,
      d,
    ),
  ALREADY_INSTALLED: (m, d) => new CosmosError("PackageAlreadyInstalled", m, 409, d),
  // Another install already runs an app with that id: on Marathon the create would have been
  // refused with a conflict, which Cosmos reported as PackageAlreadyInstalled.
  APP_ID_IN_USE: (m, d) => new CosmosError("PackageAlreadyInstalled", m, 409, d),
  REPOSITORY_EXISTS: (m, d) => new CosmosError("RepositoryAlreadyPresent", m, 400, d),
  REPOSITORY_URLS_DISABLED: (m, d) => new CosmosError("UnsupportedRepositoryUri", m, 400, d),
};

const CREDENTIALS_HINT =
  "send Authorization: token=flt_… (or Bearer flt_…) with an API token of this gateway";

/**
 * The Cosmos error for anything thrown while serving a Cosmos request. Internal errors get a
 * bland message that names the request id; the caller logs the original.
 */
export function toCosmosError(e: unknown, requestId: string): CosmosError {
  if (e instanceof CosmosError) return e;
  const err = toApiError(e);
  const details = err.details ?? {};
  const byReason = err.reason !== undefined ? BY_REASON[err.reason] : undefined;
  if (byReason) return byReason(err.message, details);
  switch (err.code) {
    case "UNAUTHENTICATED":
      return new CosmosError(
        "Unauthorized",
        `Unauthorized: ${err.message.replace(/: send .*$/, "")}; ${CREDENTIALS_HINT}`,
        401,
      );
    case "FORBIDDEN":
      return new CosmosError("Forbidden", `Forbidden: ${err.message}`, 403);
    case "INTERNAL":
      return new CosmosError(
        "unhandled_exception",
        `internal error; the gateway log has the details (request id ${requestId})`,
        500,
      );
    default:
      return new CosmosError(
        pascal(err.reason ?? err.code),
        err.message,
        err.status,
        err.details === undefined ? undefined : details,
      );
  }
}

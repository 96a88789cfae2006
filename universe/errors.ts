/**
 * The one error type of the universe library. Every failure carries a stable `code` that
 * transports map to their own status (HTTP problem+json, Cosmos error, CLI exit code), a
 * message that says what was wrong and what to do, and optional structured `details`.
 */
export type UniverseErrorCode =
  | "INVALID_PACKAGE" // package.json / config.json / resource.json / template does not fit the format
  | "INVALID_JSON" // a file that must be JSON does not parse
  | "INVALID_PLAN" // a rendered app or job is not a valid Marathon app / Metronome job
  | "TEMPLATE_NOT_OBJECT" // a template rendered to something that is not a JSON object
  | "TEMPLATE_ERROR" // mustache could not parse or render the template
  | "OPTIONS_INVALID" // options failed the package's JSON Schema
  | "OPTIONS_NOT_ALLOWED" // options given to a package without config.json
  | "BUNDLE_INVALID" // archive structure is wrong (not gzip, truncated, bad tar)
  | "BUNDLE_UNSAFE" // path traversal, absolute path, link, device, duplicate name
  | "BUNDLE_TOO_LARGE" // a size or count limit was exceeded
  | "VERSION_NOT_FOUND" // no version matches
  | "PACKAGE_NOT_FOUND" // no such package
  | "DEPENDENCY_CONFLICT" // no set of versions satisfies every range
  | "DEPENDENCY_CYCLE" // packages depend on each other in a cycle
  | "UPGRADE_NOT_ALLOWED" // upgradesFrom / downgradesTo forbid the change
  | "INVALID_ARGUMENT"; // a caller passed something malformed

export class UniverseError extends Error {
  override readonly name = "UniverseError";
  constructor(
    readonly code: UniverseErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const isUniverseError = (e: unknown): e is UniverseError => e instanceof UniverseError;

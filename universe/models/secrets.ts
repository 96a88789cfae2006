/**
 * Secret references in apps and jobs, as DC/OS wrote them: an env value `{ "secret": "db" }`
 * names an entry of the app's `secrets` (a job's `run.secrets`), whose `source` is the path of
 * a secret in the cluster's store (`db/password`; DC/OS's leading `/` is accepted and
 * dropped). Marathon refused an env value naming a secret the app does not declare; so do we,
 * when the plan is rendered, so the mistake shows at install time and not at launch.
 */
import { z } from "zod";
import { UniverseError } from "../errors.js";

/** An env value: plain text, or `{ secret: name }` naming an entry of `secrets`. */
export const EnvValueSchema = z.union([z.string(), z.looseObject({ secret: z.string() })]);
/** An app's `secrets` (a job's `run.secrets`): name → `{ source: <path in the store> }`. */
export const SecretsDeclSchema = z.record(z.string(), z.looseObject({ source: z.string() }));

/** Segments of letters, digits, `_`, `.` and `-` (not starting with `.`), joined by `/`. */
export const SECRET_PATH = /^[A-Za-z0-9_][A-Za-z0-9._-]*(\/[A-Za-z0-9_][A-Za-z0-9._-]*)*$/;
export const MAX_SECRET_PATH_LENGTH = 256;
export const SECRET_PATH_RULE =
  "a secret path is 1–256 characters: segments of letters, digits, _ . - (not starting with .) separated by /, e.g. db/password";

/** The store path a `source` refers to (`/db/password` → `db/password`), or undefined when it is not one. */
export function secretPathOf(source: string): string | undefined {
  const path = source.startsWith("/") ? source.slice(1) : source;
  return path.length <= MAX_SECRET_PATH_LENGTH && SECRET_PATH.test(path) ? path : undefined;
}

type EnvValues = Record<string, string | { secret: string }>;
type Declared = Record<string, { source: string }> | undefined;

/**
 * Throws INVALID_PLAN naming the field when an env value refers to a secret that `secrets`
 * does not declare, or a declared secret's source is not a valid path.
 * @example checkSecretReferences(app.env, app.secrets, "marathon.json.mustache (/web)", "")
 */
export function checkSecretReferences(
  env: EnvValues,
  secrets: Declared,
  where: string,
  prefix: string,
): void {
  for (const [name, decl] of Object.entries(secrets ?? {})) {
    if (secretPathOf(decl.source) === undefined) {
      const field = `${prefix}secrets.${name}.source`;
      throw new UniverseError(
        "INVALID_PLAN",
        `${where}: ${field} ${JSON.stringify(decl.source)} is not a secret path (${SECRET_PATH_RULE})`,
        { field },
      );
    }
  }
  for (const [variable, value] of Object.entries(env)) {
    if (typeof value === "string") continue;
    if (secrets && Object.hasOwn(secrets, value.secret)) continue;
    const field = `${prefix}env.${variable}`;
    throw new UniverseError(
      "INVALID_PLAN",
      `${where}: ${field} refers to secret ${JSON.stringify(value.secret)}, which ${prefix}secrets does not declare; add "${value.secret}": {"source": "<path>"} to ${prefix}secrets`,
      { field, secret: value.secret },
    );
  }
}

/**
 * Secrets the gateway hands out, with prefixes that secret scanners can recognise:
 * `flt_` API tokens, `fltj_` join tokens, `flta_` agent credentials. Only a SHA-256 of a
 * secret is ever stored: the secrets are 192 random bits, so a fast hash is the right tool
 * (a password hash would only slow every request down).
 */
export type SecretKind = "api" | "join" | "agent";

const PREFIX: Record<SecretKind, string> = { api: "flt_", join: "fltj_", agent: "flta_" };
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomText(length: number): string {
  // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
  let out = "";
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (b < 248 && out.length < length) out += ALPHABET[b % 62];
    }
  }
  return out;
}

/** A new secret of the kind, e.g. `flt_3kP…` (32 characters after the prefix, ~190 bits). */
export const newSecret = (kind: SecretKind): string => `${PREFIX[kind]}${randomText(32)}`;

/** A random id for rows (not secret): 20 characters, sortable enough for humans. */
export const newId = (prefix = ""): string => `${prefix}${randomText(20)}`;

export const secretKindOf = (secret: string): SecretKind | undefined =>
  secret.startsWith("fltj_")
    ? "join"
    : secret.startsWith("flta_")
      ? "agent"
      : secret.startsWith("flt_")
        ? "api"
        : undefined;

/** Hex SHA-256 of a secret, as stored. */
export async function hashSecret(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Constant-time comparison of two equal-length hex strings. */
export function sameHash(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

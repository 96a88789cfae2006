/** The secret store's key, or the 503 that says how to configure one. */
import type { Deps } from "../../deps.js";
import { ApiError } from "../../errors.js";
import type { SecretBox } from "../../lib/secret-box.js";

export function secretBoxOf(deps: Deps): SecretBox {
  if (deps.secrets) return deps.secrets;
  throw new ApiError(
    "UNAVAILABLE",
    "the secret store is not configured on this gateway: set FLOTILLA_SECRETS_KEY to the base64 of 32 random bytes " +
      "(on Workers: `openssl rand -base64 32 | wrangler secret put FLOTILLA_SECRETS_KEY`; on Node the gateway keeps " +
      "a generated key in its data directory)",
    "SECRETS_NOT_CONFIGURED",
  );
}

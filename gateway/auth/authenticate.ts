/**
 * Reads the caller's secret from `Authorization: Bearer …` (or Cosmos's `token=…`) and finds
 * the principal it belongs to. Lookups are by the secret's hash (a unique index). Verified
 * principals may be cached in memory (Node), so that an agent's unchanged poll touches no
 * database; revoking a token or deleting an agent clears the cache entry at once.
 */
import { and, eq, isNull } from "drizzle-orm";
import { agents, apiTokens } from "../db/schema.js";
import type { Deps } from "../deps.js";
import type { TtlCache } from "../lib/ttl-cache.js";
import type { Principal } from "./principal.js";
import { hashSecret, sameHash, secretKindOf } from "./secrets.js";

export function secretFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return bearer[1];
  const cosmos = /^token=(\S+)$/i.exec(header);
  return cosmos?.[1];
}

export interface Authenticator {
  authenticate(secret: string | undefined): Promise<Principal | undefined>;
  forget(pred: (p: Principal) => boolean): void;
}

export function createAuthenticator(deps: Deps, cache: TtlCache<Principal>): Authenticator {
  let adminHash: Promise<string> | undefined;
  return {
    forget: (pred) => cache.deleteWhere(pred),
    async authenticate(secret) {
      if (!secret) return undefined;
      const kind = secretKindOf(secret);
      if (!kind || kind === "join") return undefined;
      // The cache is keyed by the secret itself, so a hit costs no hashing: an agent's
      // unchanged poll must cost about as much as a bare route.
      const now = deps.clock.now();
      const cached = cache.get(secret, now);
      if (cached) return cached;
      const hash = await hashSecret(secret);
      let principal: Principal | undefined;
      if (kind === "api") {
        if (deps.config.adminToken) {
          adminHash ??= hashSecret(deps.config.adminToken);
          if (sameHash(hash, await adminHash)) {
            principal = {
              kind: "user",
              tokenId: "bootstrap",
              name: "bootstrap-admin",
              role: "admin",
              clusters: null,
            };
          }
        }
        if (!principal) {
          const [row] = await deps.db
            .select()
            .from(apiTokens)
            .where(and(eq(apiTokens.secretHash, hash), isNull(apiTokens.revokedAt)))
            .limit(1);
          if (row)
            principal = {
              kind: "user",
              tokenId: row.id,
              name: row.name,
              role: row.role,
              clusters: row.clusters,
            };
        }
      } else {
        const [row] = await deps.db
          .select({ id: agents.id, clusterId: agents.clusterId })
          .from(agents)
          .where(eq(agents.secretHash, hash))
          .limit(1);
        if (row) principal = { kind: "agent", agentId: row.id, clusterId: row.clusterId };
      }
      if (principal) cache.set(secret, principal, now);
      return principal;
    },
  };
}

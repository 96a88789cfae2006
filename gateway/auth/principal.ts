/**
 * Who is calling, and what they may do. Operators and scripts hold API tokens with a role
 * (viewer < operator < admin), optionally limited to some clusters; agents hold a credential
 * scoped to themselves and their cluster, which opens only the agent API of that cluster.
 */
import { ApiError } from "../errors.js";

export type Role = "viewer" | "operator" | "admin";
const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface UserPrincipal {
  kind: "user";
  tokenId: string;
  name: string;
  role: Role;
  /** Clusters the token is limited to; null for every cluster. */
  clusters: string[] | null;
}

export interface AgentPrincipal {
  kind: "agent";
  agentId: string;
  clusterId: string;
}

export type Principal = UserPrincipal | AgentPrincipal;

export const hasRole = (p: UserPrincipal, role: Role): boolean => RANK[p.role] >= RANK[role];

/** The caller as an operator of at least `role`; 401 when anonymous, 403 otherwise. */
export function requireUser(p: Principal | undefined, role: Role): UserPrincipal {
  if (!p) throw new ApiError("UNAUTHENTICATED", "missing or invalid token: send Authorization: Bearer flt_…");
  if (p.kind !== "user") throw new ApiError("FORBIDDEN", "an agent credential cannot call this endpoint");
  if (!hasRole(p, role))
    throw new ApiError("FORBIDDEN", `this endpoint needs the ${role} role; your token has ${p.role}`);
  return p;
}

/** 403 unless the token may act on the cluster (404 is not used: it would leak nothing new). */
export function requireClusterAccess(p: UserPrincipal, clusterId: string): void {
  if (p.clusters !== null && !p.clusters.includes(clusterId)) {
    throw new ApiError("FORBIDDEN", "this token is not allowed to act on that cluster");
  }
}

/** The caller as the agent of `clusterId`; a credential of another cluster gets 403. */
export function requireAgent(p: Principal | undefined, clusterId?: string): AgentPrincipal {
  if (!p)
    throw new ApiError(
      "UNAUTHENTICATED",
      "missing or invalid agent credential: send Authorization: Bearer flta_…",
    );
  if (p.kind !== "agent") throw new ApiError("FORBIDDEN", "this endpoint is for agents");
  if (clusterId !== undefined && p.clusterId !== clusterId) {
    throw new ApiError("FORBIDDEN", "this agent credential belongs to another cluster");
  }
  return p;
}

export const actorOf = (p: Principal): string =>
  p.kind === "user" ? `token:${p.name} (${p.tokenId})` : `agent:${p.agentId}`;

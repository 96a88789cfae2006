/**
 * The unchanged desired-state poll decided from memory alone, for a runtime that can answer
 * before the router (Node: see runtime/node/poll-shortcut.ts). It answers only what the full
 * route would answer with a 304 and no side effect: a plain GET of the agent's own cluster,
 * its tag equal to the revision this process knows, the caller's credential already verified
 * and cached, and no heartbeat write due. Anything else — a long-poll, an unknown or uncached
 * credential, another cluster, a revision not yet seeded — returns undefined and takes the
 * full route, which authorises, validates and writes as usual.
 */

import { secretFromHeader } from "../../auth/authenticate.js";
import type { Principal } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import type { TtlCache } from "../../lib/ttl-cache.js";
import { revisionFromTag } from "./desired-state.js";
import { heartbeatDue } from "./heartbeat.js";

/**
 * The poll path with nothing after it but an optional `?since=`. Cluster ids are plain
 * (no escapes); an id in any other spelling takes the full route.
 */
const POLL_PATH = /^\/v1\/agent\/clusters\/([A-Za-z0-9_.-]{1,64})\/desired-state(?:\?since=(\d{1,15}))?$/;

export interface PollHead {
  method: string;
  /** Path and query as received. */
  url: string;
  authorization: string | undefined;
  ifNoneMatch: string | undefined;
  /** Whether the request carries a body (then the router handles it). */
  hasBody: boolean;
}

/** The revision to answer `304` with, or undefined when the full route must answer. */
export function unchangedPollRevision(
  deps: Deps,
  principals: TtlCache<Principal>,
  head: PollHead,
  now: number,
): number | undefined {
  if (head.method !== "GET" || head.hasBody || !deps.notifier) return undefined;
  const m = POLL_PATH.exec(head.url);
  if (!m) return undefined;
  const clusterId = m[1] as string;
  const since = revisionFromTag(head.ifNoneMatch) ?? (m[2] === undefined ? undefined : Number(m[2]));
  const current = deps.notifier.current(clusterId);
  if (since === undefined || current === undefined || since !== current) return undefined;
  const secret = secretFromHeader(head.authorization);
  const principal = secret === undefined ? undefined : principals.get(secret, now);
  if (principal?.kind !== "agent" || principal.clusterId !== clusterId) return undefined;
  if (heartbeatDue(deps, principal.agentId, now)) return undefined;
  return current;
}

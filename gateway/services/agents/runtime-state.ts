/**
 * Memory the agent API keeps per app (one per `createApp`, keyed by its Deps): when each
 * agent's heartbeat was last written, the last built desired-state content per cluster, and
 * when old status receipts were last pruned. On Node one process owns the database, so this
 * memory is what keeps the unchanged poll free of database work; on Workers an isolate's
 * memory is short-lived and only saves the odd write, and correctness never depends on it.
 */
import type { Deps } from "../../deps.js";
import type { SharedDocument } from "./document.js";

export interface AgentRuntime {
  /** agentId → the last_seen_at this app wrote or read. */
  heartbeats: Map<string, number>;
  /** clusterId → the content shared by every agent's document at one revision (Node only). */
  documents: Map<string, SharedDocument>;
  lastPruneAt: number;
}

const runtimes = new WeakMap<Deps, AgentRuntime>();

/** Caps keep a gateway with very many clusters or agents from growing without bound. */
export const MAX_DOCUMENTS = 256;
export const MAX_HEARTBEATS = 100_000;

export function agentRuntime(deps: Deps): AgentRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    rt = { heartbeats: new Map(), documents: new Map(), lastPruneAt: 0 };
    runtimes.set(deps, rt);
  }
  return rt;
}

/** Puts an entry in a map used as a small LRU: re-inserted keys move to the end. */
export function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  if (map.size >= max) map.delete(map.keys().next().value as string);
  map.set(key, value);
}

/**
 * The contract between the allocator and a framework. The allocator knows nothing about
 * services or jobs: it offers node resources, in Dominant Resource Fairness order, to anything
 * that implements `Framework`, so a third framework plugs in without touching it.
 */
import type { InventoryView } from "./nodes.js";
import type { Offer, TaskLaunch } from "./offers.js";

/** A framework's answer to one offer. */
export interface Decision {
  /** Tasks to launch from the offer; empty means decline. The unused rest returns to the node. */
  launches: TaskLaunch[];
  /**
   * When declining: seconds during which resources that fit inside this offer are not offered
   * again on this node (0 = offer again as soon as the allocator likes). Default 5.
   */
  refuseSeconds?: number;
}

/** What a framework may look at while the allocator runs. */
export interface AllocationContext {
  /** Epoch ms of this scheduling cycle. */
  readonly now: number;
  /** 1 for the first pass over the nodes of a cycle, then 2, … */
  readonly round: number;
  readonly inventory: InventoryView;
  /** Node indices in this round's seeded random visiting order. */
  readonly order: readonly number[];
  /** Whether a refusal filter keeps the node's current free resources from the framework. */
  isRefused(frameworkId: string, nodeIndex: number): boolean;
}

/**
 * A scheduler framework (services, jobs, or a plug-in).
 *
 * @example
 * const echo: Framework = {
 *   id: "echo", weight: 1,
 *   hasDemand: () => pending > 0,
 *   consider: (offer) => pending-- > 0
 *     ? { launches: [{ taskId: `echo-${pending}`, resources: toFixed({ cpus: 0.1, mem: 32 }), ports: [] }] }
 *     : { launches: [], refuseSeconds: 0 },
 * };
 */
export interface Framework {
  readonly id: string;
  /** DRF weight: a framework with weight 2 is entitled to twice the dominant share. */
  readonly weight: number;
  /** Whether it still has work that could use resources; frameworks without are not offered. */
  hasDemand(): boolean;
  /** Called at the start of each round, before any offer of that round. */
  beginRound?(ctx: AllocationContext): void;
  /** Called at the end of each round, after the last offer of that round. */
  endRound?(ctx: AllocationContext): void;
  /** Answers one offer. Must not keep the offer: it is closed as soon as this returns. */
  consider(offer: Offer, ctx: AllocationContext): Decision;
}

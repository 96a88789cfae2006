/**
 * The allocator: rounds over the nodes in seeded random order; at each node it offers the
 * node's free resources to the framework with the lowest weighted dominant share (DRF: share =
 * max over scalars of allocated / cluster total, divided by weight) among those that have
 * demand, are not held back by a refusal filter and have not declined the node this round;
 * after every answer the rest of the node is offered again, until every framework has
 * declined it. Rounds repeat while the previous one launched something. Frameworks are only
 * the `Framework` interface; nothing here knows services from jobs.
 */
import type { AllocationContext, Framework } from "./framework.js";
import type { Inventory } from "./nodes.js";
import { DEFAULT_REFUSE_SECONDS, OfferBook, type TaskLaunch } from "./offers.js";
import type { RefusalFilters } from "./refusal-filters.js";
import { addInto, copy, dominantShare, type Resources, zero } from "./resources.js";
import { type Rng, shuffle } from "./rng.js";

export interface AllocateOptions {
  /** Epoch ms of this cycle. */
  now: number;
  rng: Rng;
  filters: RefusalFilters;
  /** Resources each framework already holds (its running tasks), for DRF. */
  allocated?: ReadonlyMap<string, Resources>;
  /** Upper bound on rounds (default 8). */
  maxRounds?: number;
  /** Prefix of offer ids, unique per cycle if offers are logged (default `offer-`). */
  offerIdPrefix?: string;
}

/** A task launched on a node by a framework. */
export interface AllocatedLaunch {
  frameworkId: string;
  nodeIndex: number;
  nodeId: string;
  offerId: string;
  launch: TaskLaunch;
}

export interface AllocationResult {
  launches: AllocatedLaunch[];
  /** Launches the offer book refused (a framework asked for more than it was offered). */
  rejected: { frameworkId: string; nodeId: string; launch: TaskLaunch; reason: string }[];
  rounds: number;
  offers: number;
  declines: number;
  /** Weighted dominant share of each framework at the end. */
  shares: Record<string, number>;
}

/** A node visit ends after this many offers even if frameworks keep launching (runaway guard). */
const MAX_OFFERS_PER_VISIT = 65_536;

/**
 * Runs allocation rounds until no round launches anything (or `maxRounds`).
 *
 * @example
 * const result = allocate(inventory, [services, jobs], { now, rng: createRng(seed), filters });
 */
export function allocate(
  inventory: Inventory,
  frameworks: readonly Framework[],
  options: AllocateOptions,
): AllocationResult {
  const { now, rng, filters } = options;
  const book = new OfferBook(inventory, filters, options.offerIdPrefix);
  const totals = inventory.totals();
  const held = frameworks.map((f) => copy(options.allocated?.get(f.id) ?? zero()));
  const share = (k: number) => dominantShare(held[k]!, totals) / Math.max(frameworks[k]!.weight, 1e-9);
  const shares = frameworks.map((_, k) => share(k));
  const result: AllocationResult = {
    launches: [],
    rejected: [],
    rounds: 0,
    offers: 0,
    declines: 0,
    shares: {},
  };
  const declined = new Uint8Array(frameworks.length);
  const maxRounds = options.maxRounds ?? 8;

  while (result.rounds < maxRounds && frameworks.some((f) => f.hasDemand())) {
    result.rounds++;
    const order = shuffle(
      inventory.nodes.filter((n) => !n.removed).map((n) => n.index),
      rng,
    );
    const ctx: AllocationContext = {
      now,
      round: result.rounds,
      inventory,
      order,
      isRefused: (fw, i) =>
        filters.has(fw) && filters.blocks(fw, i, inventory.freeOf(i), inventory.freePorts[i]!.size, now),
    };
    for (const f of frameworks) f.beginRound?.(ctx);
    const launchedBefore = result.launches.length;

    for (const i of order) {
      declined.fill(0);
      for (let visit = 0; visit < MAX_OFFERS_PER_VISIT && !isEmpty(inventory, i); visit++) {
        let pick = -1;
        for (let k = 0; k < frameworks.length; k++) {
          if (declined[k] || (pick >= 0 && shares[k]! >= shares[pick]!)) continue;
          const f = frameworks[k]!;
          if (!f.hasDemand()) continue;
          if (ctx.isRefused(f.id, i)) {
            declined[k] = 1;
            continue;
          }
          pick = k;
        }
        if (pick < 0) break;
        const f = frameworks[pick]!;
        const offer = book.make(i, f.id);
        result.offers++;
        const decision = f.consider(offer, ctx);
        if (decision.launches.length === 0) {
          book.decline(offer.id, now, decision.refuseSeconds ?? DEFAULT_REFUSE_SECONDS);
          result.declines++;
          declined[pick] = 1;
          continue;
        }
        const { accepted, rejected } = book.accept(offer.id, decision.launches);
        for (const launch of accepted) {
          addInto(held[pick]!, launch.resources);
          result.launches.push({
            frameworkId: f.id,
            nodeIndex: i,
            nodeId: offer.nodeId,
            offerId: offer.id,
            launch,
          });
        }
        for (const r of rejected) result.rejected.push({ frameworkId: f.id, nodeId: offer.nodeId, ...r });
        shares[pick] = share(pick);
        if (accepted.length === 0) declined[pick] = 1;
      }
    }
    for (const f of frameworks) f.endRound?.(ctx);
    if (result.launches.length === launchedBefore) break;
  }
  frameworks.forEach((f, k) => {
    result.shares[f.id] = shares[k]!;
  });
  return result;
}

/** Nothing free at all: Mesos makes no empty offers. */
function isEmpty(inv: Inventory, i: number): boolean {
  return (
    inv.freeCpus[i]! <= 0 &&
    inv.freeMem[i]! <= 0 &&
    inv.freeDisk[i]! <= 0 &&
    inv.freeGpus[i]! <= 0 &&
    inv.freePorts[i]!.size === 0
  );
}

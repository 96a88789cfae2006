/**
 * Offers, as in Mesos: one node's currently free resources made to one framework. While an
 * offer is outstanding its resources count as taken (they are moved out of the inventory), so
 * two frameworks can never be promised the same cpu or port. An offer is answered exactly once:
 * accept with launches that use a subset (the rest goes back to the node) or decline, possibly
 * with a refusal filter. Offers of a node that goes away are rescinded.
 */
import { SchedulerError } from "./errors.js";
import type { Inventory } from "./nodes.js";
import { PortSet } from "./port-set.js";
import type { RefusalFilters } from "./refusal-filters.js";
import { copy, fits, type Resources, subtractInto, zero } from "./resources.js";

/** Mesos's default `refuse_seconds` when a decline names none. */
export const DEFAULT_REFUSE_SECONDS = 5;

/** One node's free resources, made to one framework. */
export interface Offer {
  readonly id: string;
  readonly frameworkId: string;
  readonly nodeIndex: number;
  readonly nodeId: string;
  readonly hostname: string;
  /** Fixed-point resources offered; do not mutate. */
  readonly resources: Readonly<Resources>;
  /** Free ports offered; do not mutate (read with `has` / `lowest`). */
  readonly ports: PortSet;
}

/** A task a framework launches from an offer. */
export interface TaskLaunch {
  taskId: string;
  /** Fixed-point resources the task takes. */
  resources: Resources;
  /** Host ports the task takes; each must be in the offer. */
  ports: readonly number[];
}

/** What became of an accept: launches taken, and launches refused because they did not fit. */
export interface AcceptResult {
  accepted: TaskLaunch[];
  rejected: { launch: TaskLaunch; reason: string }[];
}

interface OpenOffer extends Offer {
  readonly remaining: Resources;
  readonly portsHeld: PortSet;
}

/** The outstanding offers of one inventory. */
export class OfferBook {
  private seq = 0;
  private readonly open = new Map<string, OpenOffer>();
  private readonly byNode = new Map<number, string>();

  constructor(
    private readonly inventory: Inventory,
    private readonly filters: RefusalFilters,
    private readonly idPrefix = "offer-",
  ) {}

  /** Number of offers made and not yet answered. */
  get outstanding(): number {
    return this.open.size;
  }

  /** Offers a node's free resources to a framework. Throws OFFER_OUTSTANDING if one is open on it. */
  make(nodeIndex: number, frameworkId: string): Offer {
    const node = this.inventory.nodes[nodeIndex];
    if (!node || node.removed) throw new SchedulerError("UNKNOWN_NODE", `no node at index ${nodeIndex}`);
    const held = this.byNode.get(nodeIndex);
    if (held !== undefined) {
      throw new SchedulerError("OFFER_OUTSTANDING", `node ${node.id} already has offer ${held} outstanding`);
    }
    const resources = this.inventory.freeOf(nodeIndex);
    const ports = this.inventory.freePorts[nodeIndex]!;
    // Move the free resources into the offer: until it is answered, nobody else can have them.
    this.inventory.setFree(nodeIndex, zero(), PortSet.empty());
    const offer: OpenOffer = {
      id: `${this.idPrefix}${++this.seq}`,
      frameworkId,
      nodeIndex,
      nodeId: node.id,
      hostname: node.hostname,
      resources,
      ports,
      remaining: copy(resources),
      portsHeld: ports,
    };
    this.open.set(offer.id, offer);
    this.byNode.set(nodeIndex, offer.id);
    return offer;
  }

  /**
   * Launches tasks from an offer, in order; a launch that does not fit what is left of the
   * offer (resources, or a port not offered or already taken) is rejected, the others proceed.
   * The unused rest goes back to the node. Throws UNKNOWN_OFFER if the id is not outstanding.
   */
  accept(offerId: string, launches: readonly TaskLaunch[]): AcceptResult {
    const offer = this.close(offerId);
    const result: AcceptResult = { accepted: [], rejected: [] };
    for (const launch of launches) {
      if (!fits(launch.resources, offer.remaining)) {
        result.rejected.push({ launch, reason: "resources exceed what is left of the offer" });
      } else if (!offer.portsHeld.take(launch.ports)) {
        result.rejected.push({ launch, reason: "a port is not in the offer, or is taken twice" });
      } else {
        subtractInto(offer.remaining, launch.resources);
        result.accepted.push(launch);
      }
    }
    this.giveBack(offer);
    return result;
  }

  /**
   * Declines an offer: everything goes back to the node, and unless `refuseSeconds` is 0 the
   * framework is not offered resources that fit inside these on this node until `now +
   * refuseSeconds` (or until it revives).
   */
  decline(offerId: string, now: number, refuseSeconds = DEFAULT_REFUSE_SECONDS): void {
    const offer = this.close(offerId);
    if (refuseSeconds > 0) {
      this.filters.add(
        offer.frameworkId,
        offer.nodeIndex,
        copy(offer.resources),
        offer.ports.size,
        now + refuseSeconds * 1000,
      );
    }
    this.giveBack(offer);
  }

  /**
   * Withdraws an outstanding offer (timeout, or its node went away). Its resources return to
   * the node if the node is still there. Returns the offer, or undefined if it was not open.
   */
  rescind(offerId: string): Offer | undefined {
    if (!this.open.has(offerId)) return undefined;
    const offer = this.close(offerId);
    this.giveBack(offer);
    return offer;
  }

  /** Removes a node from the inventory and rescinds its outstanding offer, if any. */
  removeNode(nodeId: string): Offer[] {
    const i = this.inventory.indexOf(nodeId);
    if (i === undefined) return [];
    this.inventory.remove(nodeId);
    const held = this.byNode.get(i);
    const offer = held === undefined ? undefined : this.rescind(held);
    return offer ? [offer] : [];
  }

  private close(offerId: string): OpenOffer {
    const offer = this.open.get(offerId);
    if (!offer) {
      throw new SchedulerError(
        "UNKNOWN_OFFER",
        `offer ${offerId} is not outstanding: it was never made, already answered, or rescinded`,
      );
    }
    this.open.delete(offerId);
    this.byNode.delete(offer.nodeIndex);
    return offer;
  }

  private giveBack(offer: OpenOffer): void {
    // A node removed while its offer was out keeps nothing: its resources left with it.
    if (this.inventory.nodes[offer.nodeIndex]?.removed) return;
    this.inventory.setFree(offer.nodeIndex, offer.remaining, offer.portsHeld);
  }
}

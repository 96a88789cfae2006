/**
 * The machinery the built-in frameworks share. At the start of each allocation round it plans
 * every waiting instance against the whole cluster (`placeGroup` for constrained and spread
 * groups, then `packFree` for the rest), so placement does not depend on the order in which
 * offers arrive; then each offer launches one planned instance for its node. One launch per offer lets the allocator re-offer the rest of the node in DRF
 * order after every task, which is what makes DRF interleave frameworks task by task.
 *
 * Declines: an offer is declined with refuse 0 when something waiting could use the node (it
 * just was not this framework's best choice this round), and with the default refusal filter
 * when nothing waiting fits it at all.
 */
import type { AllocationContext, Decision, Framework } from "./framework.js";
import type { Offer, TaskLaunch } from "./offers.js";
import { packFree } from "./pack-free.js";
import { isFreeGroup, placeGroup } from "./placement.js";
import { judgeNode, type PlacementGroup } from "./placement-group.js";
import { fits } from "./resources.js";
import { type PlanSink, RoundState } from "./round-state.js";

export abstract class GroupFramework implements Framework {
  abstract readonly id: string;
  /** Groups in planning order. */
  protected readonly groups: PlacementGroup[] = [];
  private plan: (PlacementGroup[] | undefined)[] = [];
  private planned = 0;
  private waiting = 0;

  constructor(readonly weight: number) {}

  /** Adds a group of instances to place (in planning order). */
  protected addGroup(group: PlacementGroup): void {
    this.groups.push(group);
    this.waiting += group.remaining;
  }

  hasDemand(): boolean {
    return this.planned > 0 || this.waiting > 0;
  }

  /** Groups with instances left unplaced (read after allocation). */
  unplaced(): PlacementGroup[] {
    return this.groups.filter((g) => g.remaining > 0);
  }

  beginRound(ctx: AllocationContext): void {
    this.plan = new Array(ctx.inventory.nodes.length);
    if (this.waiting === 0) return;
    const state = new RoundState(ctx.inventory, ctx.order, (i) => ctx.isRefused(this.id, i));
    const sink: PlanSink = (i, group, k) => {
      const q = this.plan[i] ?? [];
      this.plan[i] = q;
      for (let j = 0; j < k; j++) q.push(group);
      this.planned += k;
      this.waiting -= k;
    };
    // Constrained and spread groups first, in order: they have fewer places to go. The free
    // ones then fill what is left, node by node.
    for (const g of this.groups) if (!isFreeGroup(g)) placeGroup(state, g, sink);
    packFree(
      state,
      this.groups.filter((g) => isFreeGroup(g)),
      sink,
    );
  }

  /** Planned instances whose node was never offered go back to waiting. */
  endRound(ctx: AllocationContext): void {
    for (let i = 0; i < this.plan.length; i++) {
      const q = this.plan[i];
      while (q && q.length > 0) this.unplan(q.pop()!, i, ctx);
    }
  }

  consider(offer: Offer, ctx: AllocationContext): Decision {
    const q = this.plan[offer.nodeIndex];
    while (q && q.length > 0) {
      const g = q.pop()!;
      const launch = this.tryLaunch(g, offer);
      if (launch) {
        this.planned--;
        return { launches: [launch] };
      }
      // Another framework took the room first this round; the instance waits for the next.
      this.unplan(g, offer.nodeIndex, ctx);
    }
    return { launches: [], refuseSeconds: this.anyCouldUse(offer, ctx) ? 0 : undefined };
  }

  /** Builds the launch record of one instance of `group` with these ports (framework-specific). */
  protected abstract launch(group: PlacementGroup, offer: Offer, ports: number[]): TaskLaunch;

  private tryLaunch(g: PlacementGroup, offer: Offer): TaskLaunch | undefined {
    if (!fits(g.resources, offer.resources)) return undefined;
    for (const p of g.ports.exact) if (!offer.ports.has(p)) return undefined;
    const any = offer.ports.lowest(g.ports.any, g.ports.exact);
    if (!any) return undefined;
    return this.launch(g, offer, [...g.ports.exact, ...any]);
  }

  private unplan(g: PlacementGroup, nodeIndex: number, ctx: AllocationContext): void {
    this.planned--;
    this.waiting++;
    g.remaining++;
    g.counts.add((f) => ctx.inventory.attribute(nodeIndex, f), -1);
  }

  private anyCouldUse(offer: Offer, ctx: AllocationContext): boolean {
    if (this.waiting === 0) return true;
    const node = {
      attr: (f: string) => ctx.inventory.attribute(offer.nodeIndex, f),
      free: offer.resources,
      ports: offer.ports,
    };
    return this.groups.some((g) => g.remaining > 0 && judgeNode(g, node).ok);
  }
}

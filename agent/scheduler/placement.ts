/**
 * Placement of one group of identical instances, decided against the whole cluster at once so
 * that the result does not depend on the order in which offers arrive (offers then confirm the
 * plan node by node).
 *
 * - bin-pack with constraints or fixed ports: first fit over the nodes ranked fullest first,
 *   scanning the candidates of the most selective static constraint with a cursor that never
 *   moves back (within a round nodes only fill up and counted constraints only tighten).
 * - bin-pack without either: `packFree`, node by node.
 * - spread: the least loaded node that fits, for every instance.
 * - GROUP_BY: for every instance, the allowed value with the fewest instances that still has
 *   room (ties by name), then a node of that value by the group's strategy. Only the first
 *   GROUP_BY of an app spreads; further ones only require the attribute.
 */
import { packFree } from "./pack-free.js";
import { groupByAllowed, type PlacementGroup } from "./placement-group.js";
import type { PlanSink, RoundState } from "./round-state.js";

/** Whether a group goes to `packFree`: bin-pack, no constraint, no fixed host port. */
export function isFreeGroup(g: PlacementGroup): boolean {
  return g.strategy === "binpack" && g.constraints.list.length === 0 && g.ports.exact.length === 0;
}

/** Plans as many of the group's remaining instances as fit; returns how many. */
export function placeGroup(state: RoundState, group: PlacementGroup, sink: PlanSink): number {
  const before = group.remaining;
  if (before <= 0) return 0;
  if (group.constraints.groupBy.length > 0) placeGroupBy(state, group, sink);
  else if (group.strategy === "spread") placeSpread(state, group, sink);
  else if (isFreeGroup(group)) packFree(state, [group], sink);
  else placeFirstFit(state, group, sink);
  return before - group.remaining;
}

function placeFirstFit(state: RoundState, g: PlacementGroup, sink: PlanSink): void {
  const cands = state.candidates(g);
  const len = cands ? cands.length : state.n;
  let idx = 0;
  while (g.remaining > 0 && idx < len) {
    const p = cands ? cands[idx]! : idx;
    const i = state.byPos[p]!;
    const k = state.eligible(i, g) ? Math.min(g.remaining, state.fitCount(i, g), state.limit(i, g)) : 0;
    if (k <= 0) idx++;
    else state.commit(i, p, g, k, sink);
  }
}

function placeSpread(state: RoundState, g: PlacementGroup, sink: PlanSink): void {
  const cands = state.candidates(g);
  const len = cands ? cands.length : state.n;
  const alive: number[] = [];
  for (let idx = 0; idx < len; idx++) {
    const p = cands ? cands[idx]! : idx;
    if (state.eligible(state.byPos[p]!, g)) alive.push(p);
  }
  while (g.remaining > 0) {
    const p = leastLoaded(state, alive, g);
    if (p < 0) return;
    state.commit(state.byPos[p]!, p, g, 1, sink);
  }
}

/** Least loaded position of `alive` that takes one more instance; drops those that never will. */
function leastLoaded(state: RoundState, alive: number[], g: PlacementGroup): number {
  let best = -1;
  let bestLoad = Number.POSITIVE_INFINITY;
  let w = 0;
  for (let r = 0; r < alive.length; r++) {
    const p = alive[r]!;
    const i = state.byPos[p]!;
    if (state.fitCount(i, g) <= 0 || state.limit(i, g) <= 0) continue;
    alive[w++] = p;
    const load = state.load(i);
    if (load < bestLoad) {
      bestLoad = load;
      best = p;
    }
  }
  alive.length = w;
  return best;
}

function placeGroupBy(state: RoundState, g: PlacementGroup, sink: PlanSink): void {
  const gb = g.constraints.groupBy[0]!;
  const eligible: [string, number][] = [];
  const byValue = new Map<string, number[]>();
  for (const [v, ps] of state.valueLists(gb.field).values) {
    const ok = ps.filter((p) => state.eligible(state.byPos[p]!, g));
    if (ok.length > 0) {
      eligible.push([v, ok.length]);
      byValue.set(v, ok);
    }
  }
  const values = groupByAllowed(gb, eligible, g.counts.values(gb.field)).map((v) => ({
    v,
    ps: byValue.get(v)!,
    idx: 0,
    full: false,
  }));
  while (g.remaining > 0) {
    let s: (typeof values)[number] | undefined;
    for (const t of values) {
      if (!t.full && (!s || g.counts.get(gb.field, t.v) < g.counts.get(gb.field, s.v))) s = t;
    }
    if (!s) return;
    let p = -1;
    if (g.strategy === "spread") p = leastLoaded(state, s.ps, g);
    else {
      for (; s.idx < s.ps.length; s.idx++) {
        const i = state.byPos[s.ps[s.idx]!]!;
        if (state.fitCount(i, g) > 0 && state.limit(i, g) > 0) {
          p = s.ps[s.idx]!;
          break;
        }
      }
    }
    if (p < 0) s.full = true;
    else state.commit(state.byPos[p]!, p, g, 1, sink);
  }
}

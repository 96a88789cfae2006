/**
 * A placement group: identical tasks waiting for nodes (the missing instances of one app
 * version, or one job run), with everything placement needs to decide where they may go —
 * resources, host ports, compiled constraints, and how many instances of the app already sit
 * on each attribute value. Also the verdict of one node for one group, shared by placement,
 * refusal decisions and "why is it pending?".
 */
import {
  type CompiledConstraints,
  type Constraint,
  type GroupByConstraint,
  valuesEqual,
} from "./constraints.js";
import type { PortSet } from "./port-set.js";
import { type Resources, SCALARS, type ScalarName } from "./resources.js";

/** bin-pack: fullest node that fits first; spread: least loaded node first. */
export type PlacementStrategy = "binpack" | "spread";

/** Host ports a task needs: `any` ports from the offer, plus exactly these `exact` ones. */
export interface PortDemand {
  readonly any: number;
  readonly exact: readonly number[];
}

/** Instances per attribute value, for the fields an app's constraints count. */
export class InstanceCounts {
  private readonly byField = new Map<string, Map<string, number>>();

  constructor(fields: readonly string[]) {
    for (const f of fields) this.byField.set(f, new Map());
  }

  get(field: string, value: string): number {
    return this.byField.get(field)?.get(value) ?? 0;
  }

  /** Counts of one field (empty map for a field that is not counted). */
  values(field: string): ReadonlyMap<string, number> {
    return this.byField.get(field) ?? new Map();
  }

  /** Adds `k` instances (negative to remove) at a node, given how to read its attributes. */
  add(attr: (field: string) => string | undefined, k: number): void {
    for (const [field, map] of this.byField) {
      const v = attr(field);
      if (v === undefined) continue;
      const next = (map.get(v) ?? 0) + k;
      if (next > 0) map.set(v, next);
      else map.delete(v);
    }
  }

  /** For CLUSTER without a value: the value holding the most instances (ties: smallest), if any. */
  fixedValue(field: string): string | undefined {
    let best: string | undefined;
    let most = 0;
    for (const [v, n] of this.values(field)) {
      if (n > most || (n === most && best !== undefined && v < best)) {
        best = v;
        most = n;
      }
    }
    return best;
  }
}

/** Identical tasks waiting for nodes. */
export interface PlacementGroup {
  /** `appId@version` or the run id. */
  readonly key: string;
  readonly resources: Resources;
  readonly ports: PortDemand;
  readonly constraints: CompiledConstraints;
  readonly counts: InstanceCounts;
  readonly strategy: PlacementStrategy;
  /** Instances still to place. */
  remaining: number;
}

/**
 * How many more instances the counted constraints (UNIQUE, MAX_PER, CLUSTER without value)
 * allow on a node; 0 excludes it. GROUP_BY only requires the attribute here — which value to
 * use is the placement's choice (see `groupByAllowed`).
 */
export function countedLimit(group: PlacementGroup, attr: (field: string) => string | undefined): number {
  const c = group.constraints;
  let limit = Number.POSITIVE_INFINITY;
  for (const p of c.perValue) {
    const v = attr(p.field);
    if (v === undefined) return 0;
    limit = Math.min(limit, p.limit - group.counts.get(p.field, v));
  }
  for (const cl of c.cluster) {
    const v = attr(cl.field);
    const fixed = group.counts.fixedValue(cl.field);
    if (v === undefined || (fixed !== undefined && !valuesEqual(fixed, v))) return 0;
  }
  for (const g of c.groupBy) if (attr(g.field) === undefined) return 0;
  return Math.max(0, limit);
}

/**
 * The values a GROUP_BY may use. Without `n`: every value that has an eligible node. With `n`:
 * the values already holding instances, topped up to `n` with the eligible values that have
 * the most eligible nodes (ties by name); if more than `n` values already hold instances, the
 * `n` holding most. Fewer than `n` values in the cluster: all of them. Sorted by name.
 *
 * @param eligible each value with an eligible node, with how many eligible nodes it has
 */
export function groupByAllowed(
  gb: GroupByConstraint,
  eligible: readonly (readonly [string, number])[],
  counts: ReadonlyMap<string, number>,
): string[] {
  const eligibleSet = new Set(eligible.map(([v]) => v));
  if (gb.values === undefined) return [...eligibleSet].sort();
  const used = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v]) => v);
  let chosen = used.slice(0, gb.values);
  if (chosen.length < gb.values) {
    const extra = eligible
      .filter(([v]) => !counts.has(v))
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, gb.values - chosen.length)
      .map(([v]) => v);
    chosen = [...chosen, ...extra];
  }
  return chosen.filter((v) => eligibleSet.has(v)).sort();
}

/** Why a node cannot take one more instance of a group, or that it can. */
export type Verdict =
  | { ok: true }
  | { ok: false; kind: "constraint"; constraint: Constraint }
  | { ok: false; kind: "resource"; resource: ScalarName }
  | { ok: false; kind: "ports"; missing: readonly number[]; short: number };

/** A node's state as a verdict needs it. */
export interface NodeState {
  attr(field: string): string | undefined;
  free: Resources;
  ports: PortSet;
}

/**
 * Judges one node for one more instance: constraints first (static, then counted, then
 * GROUP_BY against `allowedValues` when given), then each scalar in SCALARS order, then ports.
 */
export function judgeNode(
  group: PlacementGroup,
  node: NodeState,
  allowedValues?: ReadonlyMap<string, ReadonlySet<string>>,
): Verdict {
  const c = group.constraints;
  for (const s of c.statics) {
    if (!s.allows(node.attr(s.field))) return { ok: false, kind: "constraint", constraint: s.constraint };
  }
  for (const p of c.perValue) {
    const v = node.attr(p.field);
    if (v === undefined || group.counts.get(p.field, v) >= p.limit) {
      return { ok: false, kind: "constraint", constraint: p.constraint };
    }
  }
  for (const cl of c.cluster) {
    const v = node.attr(cl.field);
    const fixed = group.counts.fixedValue(cl.field);
    if (v === undefined || (fixed !== undefined && !valuesEqual(fixed, v))) {
      return { ok: false, kind: "constraint", constraint: cl.constraint };
    }
  }
  for (const g of c.groupBy) {
    const allowed = allowedValues?.get(g.field);
    const v = node.attr(g.field);
    if (v === undefined || (allowed && !allowed.has(v))) {
      return { ok: false, kind: "constraint", constraint: g.constraint };
    }
  }
  for (const name of SCALARS) {
    if (group.resources[name] > node.free[name] || node.free[name] < 0)
      return { ok: false, kind: "resource", resource: name };
  }
  const missing = group.ports.exact.filter((p) => !node.ports.has(p));
  const needed = group.ports.any + group.ports.exact.length;
  if (missing.length > 0 || node.ports.size < needed) {
    return { ok: false, kind: "ports", missing, short: Math.max(0, needed - node.ports.size) };
  }
  return { ok: true };
}

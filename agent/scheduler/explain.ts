/**
 * "Why is it pending?" For an app or run that could not be placed (or may not launch yet),
 * what an operator can act on: how many nodes fit, and for each that does not, the first reason
 * — a constraint that excludes it, the first scalar it lacks, its ports, or a refusal filter —
 * plus whatever holds the launch (restart backoff, dependencies). Structured data and one line,
 * e.g. "0 of 3 nodes fit: 2 have < 2048 MB mem free, 1 excluded by [zone, IS, eu-1]".
 */
import { type Constraint, describeConstraint } from "./constraints.js";
import type { InventoryView } from "./nodes.js";
import { groupByAllowed, judgeNode, type PlacementGroup } from "./placement-group.js";
import type { AppHold } from "./planner.js";
import type { RefusalFilters } from "./refusal-filters.js";
import { formatAmount, naturalValue, type ScalarName } from "./resources.js";

/** Nodes that cannot take an instance, grouped by their first reason. */
export type NodeReason =
  | { kind: "constraint"; constraint: Constraint; nodes: number }
  | { kind: "resource"; resource: ScalarName; needed: number; nodes: number }
  | { kind: "ports"; missing: number[]; nodes: number }
  | { kind: "port-count"; needed: number; nodes: number }
  | { kind: "refused"; until: number; nodes: number };

/** How the cluster's nodes stand for one group. */
export interface NodeSummary {
  total: number;
  fit: number;
  reasons: NodeReason[];
}

/** One app or run that is waiting, and why. */
export interface PendingExplanation {
  kind: "app" | "run";
  /** App id or run id. */
  id: string;
  version?: string;
  jobId?: string;
  /** Instances (or runs) not launched this cycle. */
  waiting: number;
  nodes: NodeSummary;
  holds: AppHold[];
  message: string;
}

/** Judges every node for one more instance of the group, as the cluster stands now. */
export function summarizeNodes(
  group: PlacementGroup,
  inventory: InventoryView,
  filters: RefusalFilters,
  frameworkId: string,
  now: number,
): NodeSummary {
  const live = inventory.nodes.filter((n) => !n.removed);
  const attrOf = (i: number) => (f: string) => inventory.attribute(i, f);
  const allowed = new Map<string, Set<string>>();
  for (const gb of group.constraints.groupBy) {
    const perValue = new Map<string, number>();
    for (const n of live) {
      const v = n.attributes.get(gb.field);
      if (v !== undefined && group.constraints.statics.every((s) => s.allows(n.attributes.get(s.field)))) {
        perValue.set(v, (perValue.get(v) ?? 0) + 1);
      }
    }
    allowed.set(gb.field, new Set(groupByAllowed(gb, [...perValue], group.counts.values(gb.field))));
  }
  const reasons = new Map<string, NodeReason>();
  const bump = (key: string, make: () => NodeReason) => {
    const r = reasons.get(key);
    if (r) r.nodes++;
    else reasons.set(key, make());
  };
  let fit = 0;
  for (const n of live) {
    const free = inventory.freeOf(n.index);
    const ports = inventory.freePorts[n.index]!;
    const v = judgeNode(group, { attr: attrOf(n.index), free, ports }, allowed);
    if (v.ok) {
      const until = filters.holding(frameworkId, n.index, free, ports.size, now);
      const held = reasons.get("refused");
      if (until === undefined) fit++;
      else if (held?.kind === "refused") {
        held.until = Math.max(held.until, until);
        held.nodes++;
      } else reasons.set("refused", { kind: "refused", until, nodes: 1 });
    } else if (v.kind === "constraint") {
      bump(`c:${v.constraint.join("\u0000")}`, () => ({
        kind: "constraint",
        constraint: v.constraint,
        nodes: 1,
      }));
    } else if (v.kind === "resource") {
      const needed = naturalValue(v.resource, group.resources[v.resource]);
      bump(`r:${v.resource}`, () => ({ kind: "resource", resource: v.resource, needed, nodes: 1 }));
    } else if (v.missing.length > 0) {
      bump(`p:${v.missing.join(",")}`, () => ({ kind: "ports", missing: [...v.missing], nodes: 1 }));
    } else {
      const needed = group.ports.any + group.ports.exact.length;
      bump("pc", () => ({ kind: "port-count", needed, nodes: 1 }));
    }
  }
  // Most common reason first; equal counts keep the order in which they were first seen.
  return { total: live.length, fit, reasons: [...reasons.values()].sort((a, b) => b.nodes - a.nodes) };
}

/** The one-line form: nodes first, then holds, separated by "; ". */
export function explanationMessage(nodes: NodeSummary, holds: readonly AppHold[], now: number): string {
  const parts = nodes.reasons.map((r) => describeReason(r, now));
  const head = `${nodes.fit} of ${nodes.total} nodes fit${parts.length > 0 ? `: ${parts.join(", ")}` : ""}`;
  return [head, ...holds.map((h) => describeHold(h, now))].join("; ");
}

function describeReason(r: NodeReason, now: number): string {
  const one = r.nodes === 1;
  switch (r.kind) {
    case "constraint":
      return `${r.nodes} excluded by ${describeConstraint(r.constraint)}`;
    case "resource": {
      const fixed = r.resource === "gpus" ? r.needed : Math.round(r.needed * 1000);
      return `${r.nodes} ${one ? "has" : "have"} < ${formatAmount(r.resource, fixed)} free`;
    }
    case "ports":
      return `${r.nodes} ${one ? "lacks" : "lack"} free port${r.missing.length > 1 ? "s" : ""} ${r.missing.join(", ")}`;
    case "port-count":
      return `${r.nodes} ${one ? "has" : "have"} < ${r.needed} free ports`;
    case "refused":
      return `${r.nodes} held back by refusal filters (for up to ${Math.ceil((r.until - now) / 1000)} s)`;
  }
}

function describeHold(h: AppHold, now: number): string {
  switch (h.kind) {
    case "backoff":
      return `launch delayed by restart backoff for ${Math.ceil((h.until - now) / 1000)} s after ${h.failures} failure${h.failures === 1 ? "" : "s"}`;
    case "dependency":
      return h.known
        ? `waiting for dependency ${h.on} to be healthy (${h.healthy} of ${h.needed} healthy)`
        : `depends on ${h.on}, which is not in the desired state`;
    case "cycle":
      return `dependency cycle ${h.cycle.join(" → ")}`;
  }
}

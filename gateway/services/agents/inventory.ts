/**
 * Compares a reported inventory with the stored one. Free resources change all the time and
 * are only stored; total resources and attributes change what the scheduler may place, so a
 * change there also moves the cluster's desired-state revision (the lease holder sees it).
 */
import type { Inventory } from "../../contract/agent.js";

/** JSON with object keys sorted, so that equal values compare equal as text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

const placement = (inv: Record<string, unknown> | null) =>
  inv === null ? "null" : canonicalJson({ resources: inv.resources, attributes: inv.attributes });

export interface InventoryChange {
  /** Anything differs: store the new inventory. */
  changed: boolean;
  /** Total resources or attributes differ: also move the revision. */
  placement: boolean;
}

export function inventoryChange(
  stored: Record<string, unknown> | null,
  reported: Inventory,
): InventoryChange {
  return {
    changed: stored === null || canonicalJson(stored) !== canonicalJson(reported),
    placement: placement(stored) !== placement(reported as Record<string, unknown>),
  };
}

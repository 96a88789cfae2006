/**
 * Refusal filters: when a framework declines an offer it may ask not to be offered that node's
 * resources again for a while (Mesos `refuse_seconds`, default 5 s). A filter holds only while
 * the node's free resources fit inside what was refused — if the node gains room, it is
 * offered again — and all of a framework's filters go when it revives (new work arrived).
 * Filters outlive one scheduling cycle, so they convert to and from plain records.
 */
import type { InventoryView } from "./nodes.js";
import { fits, type ResourceAmounts, type Resources, toAmounts, toFixed } from "./resources.js";

/** A filter as it is persisted between cycles. */
export interface RefusalFilterRecord {
  frameworkId: string;
  nodeId: string;
  /** Epoch ms at which the filter expires. */
  until: number;
  refused: Required<ResourceAmounts> & { ports: number };
}

interface Filter {
  refused: Resources;
  ports: number;
  until: number;
}

/** The refusal filters of all frameworks, keyed by node index of one inventory. */
export class RefusalFilters {
  private readonly byFramework = new Map<string, Map<number, Filter>>();

  constructor(private readonly inventory: InventoryView) {}

  /** Filters from a previous cycle's records; records for nodes that are gone are dropped. */
  static restore(records: readonly RefusalFilterRecord[], inventory: InventoryView): RefusalFilters {
    const filters = new RefusalFilters(inventory);
    for (const r of records) {
      const i = inventory.indexOf(r.nodeId);
      if (i !== undefined) filters.add(r.frameworkId, i, toFixed(r.refused), r.refused.ports, r.until);
    }
    return filters;
  }

  /** Refuses `refused` (and `ports` ports) on a node for a framework until `until` (epoch ms). */
  add(frameworkId: string, nodeIndex: number, refused: Resources, ports: number, until: number): void {
    let map = this.byFramework.get(frameworkId);
    if (!map) {
      map = new Map();
      this.byFramework.set(frameworkId, map);
    }
    map.set(nodeIndex, { refused, ports, until });
  }

  /**
   * Whether an offer of `free` with `ports` free ports on the node is held back from the
   * framework at `now`. Expired filters are dropped on the way.
   */
  blocks(frameworkId: string, nodeIndex: number, free: Resources, ports: number, now: number): boolean {
    return this.holding(frameworkId, nodeIndex, free, ports, now) !== undefined;
  }

  /** The epoch ms until which a filter holds the node back, if one does. */
  holding(
    frameworkId: string,
    nodeIndex: number,
    free: Resources,
    ports: number,
    now: number,
  ): number | undefined {
    const map = this.byFramework.get(frameworkId);
    const f = map?.get(nodeIndex);
    if (!map || !f) return undefined;
    if (f.until <= now) {
      map.delete(nodeIndex);
      return undefined;
    }
    return fits(free, f.refused) && ports <= f.ports ? f.until : undefined;
  }

  /** Whether the framework has any filter at all (lets callers skip per-node checks). */
  has(frameworkId: string): boolean {
    return (this.byFramework.get(frameworkId)?.size ?? 0) > 0;
  }

  /** Clears every filter of a framework: it has new work and wants offers again. */
  revive(frameworkId: string): void {
    this.byFramework.delete(frameworkId);
  }

  /** Unexpired filters as plain records, for the next cycle. */
  toRecords(now: number): RefusalFilterRecord[] {
    const out: RefusalFilterRecord[] = [];
    for (const [frameworkId, map] of this.byFramework) {
      for (const [i, f] of map) {
        const node = this.inventory.nodes[i];
        if (f.until <= now || !node || node.removed) continue;
        out.push({
          frameworkId,
          nodeId: node.id,
          until: f.until,
          refused: { ...toAmounts(f.refused), ports: f.ports },
        });
      }
    }
    return out;
  }
}

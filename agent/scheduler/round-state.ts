/**
 * The state one framework plans against during one allocation round: every node's effective
 * free amounts (the inventory minus what this round has planned so far) in flat typed arrays,
 * nodes ranked fullest first, a fit tree over that ranking, and per-round indexes of attribute
 * values. Placement strategies (`placement.ts`, `pack-free.ts`) read and commit through it.
 */
import { type FitDims, FitTree } from "./fit-tree.js";
import type { InventoryView } from "./nodes.js";
import { countedLimit, type PlacementGroup } from "./placement-group.js";

/** Receives `k` planned instances of `group` on node `nodeIndex`. */
export type PlanSink = (nodeIndex: number, group: PlacementGroup, k: number) => void;

/** Rank positions of each value of one attribute, and of nodes without it. */
export interface ValueLists {
  values: Map<string, number[]>;
  missing: number[];
}

export class RoundState {
  /** Nodes taking part in the round. */
  readonly n: number;
  /** Node index at each rank position: fullest first (dominant used share), ties in round order. */
  readonly byPos: Int32Array;
  readonly cpu: Float64Array;
  readonly mem: Float64Array;
  readonly disk: Float64Array;
  readonly gpu: Float64Array;
  readonly ports: Float64Array;
  readonly tree: FitTree;
  private readonly blocked: Uint8Array;
  private readonly plannedExact = new Map<number, Set<number>>();
  private readonly lists = new Map<string, ValueLists>();
  private readonly candidateCache = new Map<string, Int32Array>();

  /**
   * @param order node indices in the round's random order
   * @param isBlocked nodes the framework must not use this round (refusal filters)
   */
  constructor(
    readonly inventory: InventoryView,
    order: readonly number[],
    isBlocked: (nodeIndex: number) => boolean,
  ) {
    const inv = inventory;
    const total = inv.nodes.length;
    this.n = order.length;
    this.blocked = new Uint8Array(total);
    this.cpu = Float64Array.from(inv.freeCpus);
    this.mem = Float64Array.from(inv.freeMem);
    this.disk = Float64Array.from(inv.freeDisk);
    this.gpu = Float64Array.from(inv.freeGpus);
    this.ports = Float64Array.from(inv.freePorts, (p) => p.size);
    const fullness = new Float64Array(total);
    for (const i of order) {
      if (inv.nodes[i]!.removed || isBlocked(i)) this.blocked[i] = 1;
      fullness[i] = this.load(i);
    }
    this.byPos = Int32Array.from([...order].sort((a, b) => fullness[b]! - fullness[a]!));
    const leaves = [0, 1, 2, 3, 4].map(() => new Float64Array(this.n));
    const sources = [this.cpu, this.mem, this.disk, this.gpu, this.ports];
    for (let p = 0; p < this.n; p++) {
      const i = this.byPos[p]!;
      for (let d = 0; d < 5; d++) leaves[d]![p] = this.blocked[i] === 1 ? -1 : sources[d]![i]!;
    }
    this.tree = new FitTree(leaves as unknown as FitDims);
  }

  /** How many instances of the group the node's effective free amounts hold (ports included). */
  fitCount(i: number, g: PlacementGroup): number {
    const r = g.resources;
    let k = Math.min(
      per(this.cpu[i]!, r.cpus),
      per(this.mem[i]!, r.mem),
      per(this.disk[i]!, r.disk),
      per(this.gpu[i]!, r.gpus),
      per(this.ports[i]!, g.ports.any + g.ports.exact.length),
    );
    if (g.ports.exact.length > 0) {
      const planned = this.plannedExact.get(i);
      const free = this.inventory.freePorts[i]!;
      for (const p of g.ports.exact) if (!free.has(p) || planned?.has(p)) return 0;
      k = Math.min(k, 1);
    }
    return k;
  }

  /** Plans `k` instances of `g` on node `i` (at rank position `p`). */
  commit(i: number, p: number, g: PlacementGroup, k: number, sink: PlanSink): void {
    const r = g.resources;
    this.cpu[i]! -= r.cpus * k;
    this.mem[i]! -= r.mem * k;
    this.disk[i]! -= r.disk * k;
    this.gpu[i]! -= r.gpus * k;
    this.ports[i]! -= (g.ports.any + g.ports.exact.length) * k;
    this.tree.set(p, this.cpu[i]!, this.mem[i]!, this.disk[i]!, this.gpu[i]!, this.ports[i]!);
    if (g.ports.exact.length > 0) {
      const set = this.plannedExact.get(i) ?? new Set<number>();
      this.plannedExact.set(i, set);
      for (const port of g.ports.exact) set.add(port);
    }
    if (g.constraints.countedFields.length > 0) g.counts.add((f) => this.inventory.attribute(i, f), k);
    g.remaining -= k;
    sink(i, g, k);
  }

  /** Not blocked and every static constraint allows the node. */
  eligible(i: number, g: PlacementGroup): boolean {
    if (this.blocked[i] === 1) return false;
    for (const s of g.constraints.statics) if (!s.allows(this.inventory.attribute(i, s.field))) return false;
    return true;
  }

  /** Instances the counted constraints still allow on the node. */
  limit(i: number, g: PlacementGroup): number {
    if (g.constraints.countedFields.length === 0) return Number.POSITIVE_INFINITY;
    return countedLimit(g, (f) => this.inventory.attribute(i, f));
  }

  /** Dominant used share of a node, counting what is planned this round. */
  load(i: number): number {
    const t = this.inventory.nodes[i]!.total;
    return Math.max(
      t.cpus > 0 ? 1 - this.cpu[i]! / t.cpus : 0,
      t.mem > 0 ? 1 - this.mem[i]! / t.mem : 0,
      t.disk > 0 ? 1 - this.disk[i]! / t.disk : 0,
      t.gpus > 0 ? 1 - this.gpu[i]! / t.gpus : 0,
    );
  }

  /** Rank positions of each value of a field (built once per field per round). */
  valueLists(field: string): ValueLists {
    let lists = this.lists.get(field);
    if (lists) return lists;
    lists = { values: new Map(), missing: [] };
    for (let p = 0; p < this.n; p++) {
      const v = this.inventory.attribute(this.byPos[p]!, field);
      if (v === undefined) lists.missing.push(p);
      else {
        const list = lists.values.get(v);
        if (list) list.push(p);
        else lists.values.set(v, [p]);
      }
    }
    this.lists.set(field, lists);
    return lists;
  }

  /**
   * Rank positions that a group's most selective static constraint allows, ascending
   * (undefined: every position). Other static constraints are checked node by node.
   */
  candidates(g: PlacementGroup): Int32Array | undefined {
    let best: Int32Array | undefined;
    for (const s of g.constraints.statics) {
      const key = s.constraint.join("\u0000");
      let cands = this.candidateCache.get(key);
      if (!cands) {
        const lists = this.valueLists(s.field);
        const parts: number[][] = [];
        for (const [v, ps] of lists.values) if (s.allows(v)) parts.push(ps);
        if (s.allows(undefined)) parts.push(lists.missing);
        cands = Int32Array.from(parts.flat()).sort();
        this.candidateCache.set(key, cands);
      }
      if (!best || cands.length < best.length) best = cands;
    }
    return best;
  }
}

/** How many times `need` fits in `free` (Infinity when nothing is needed and free is not negative). */
function per(free: number, need: number): number {
  if (need <= 0) return free < 0 ? 0 : Number.POSITIVE_INFINITY;
  return Math.floor(free / need);
}

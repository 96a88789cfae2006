/**
 * The node inventory: every node's total resources, port ranges and attributes, and what is
 * free on it right now. Free amounts live in flat arrays indexed by node (not in per-node
 * objects) because placement reads them millions of times per cycle. New launches go through
 * `allocate`, which refuses anything that does not fit: no node is ever over-committed by us.
 * What nodes report as running is recorded with `occupy`, which believes the report even when
 * it exceeds the node (reality wins; the node simply gets no offers until it has room again).
 */
import { SchedulerError } from "./errors.js";
import { type PortRange, PortSet } from "./port-set.js";
import { fits, type ResourceAmounts, type Resources, toFixed, zero } from "./resources.js";

/** A node as its agent reports it. */
export interface NodeSpec {
  id: string;
  hostname: string;
  resources: ResourceAmounts;
  /** Port ranges offered to tasks; Mesos text (`"[31000-32000]"`) or pairs. Default `[31000-32000]`. */
  ports?: readonly PortRange[] | string;
  /** Operator-set attributes (`zone`, `rack`, …), text or scalar. `hostname` is always the hostname. */
  attributes?: Readonly<Record<string, string | number>>;
}

/** What the inventory keeps about one node. */
export interface NodeRecord {
  readonly index: number;
  readonly id: string;
  readonly hostname: string;
  readonly total: Resources;
  readonly portRanges: readonly PortRange[];
  /** Attribute values as text (scalars via `String(n)`), `hostname` included. */
  readonly attributes: ReadonlyMap<string, string>;
  removed: boolean;
}

/** Read-only face of the inventory that frameworks and explanations see. */
export interface InventoryView {
  readonly nodes: readonly NodeRecord[];
  readonly freeCpus: readonly number[];
  readonly freeMem: readonly number[];
  readonly freeDisk: readonly number[];
  readonly freeGpus: readonly number[];
  /** Free ports per node; do not mutate. */
  readonly freePorts: readonly PortSet[];
  attribute(index: number, field: string): string | undefined;
  indexOf(id: string): number | undefined;
  freeOf(index: number): Resources;
  /** Sum of the totals of nodes still present. */
  totals(): Resources;
}

const DEFAULT_PORTS: readonly PortRange[] = [[31000, 32000]];

/** Node inventory with allocation bookkeeping. */
export class Inventory implements InventoryView {
  readonly nodes: NodeRecord[] = [];
  readonly freeCpus: number[] = [];
  readonly freeMem: number[] = [];
  readonly freeDisk: number[] = [];
  readonly freeGpus: number[] = [];
  readonly freePorts: PortSet[] = [];
  private readonly byId = new Map<string, number>();

  /** An inventory holding `specs`. */
  static from(specs: readonly NodeSpec[]): Inventory {
    const inv = new Inventory();
    for (const spec of specs) inv.add(spec);
    return inv;
  }

  /** Adds a node with everything free. Throws INVALID_NODE on a duplicate id or bad resources. */
  add(spec: NodeSpec): NodeRecord {
    if (!spec.id || !spec.hostname) {
      throw new SchedulerError("INVALID_NODE", "a node needs an id and a hostname", { node: spec.id });
    }
    if (this.byId.has(spec.id)) {
      throw new SchedulerError("INVALID_NODE", `node id ${spec.id} is used twice`, { node: spec.id });
    }
    let total: Resources;
    let ports: PortSet;
    try {
      total = toFixed(spec.resources);
      ports = PortSet.from(spec.ports ?? DEFAULT_PORTS);
    } catch (e) {
      throw new SchedulerError("INVALID_NODE", `node ${spec.id}: ${(e as Error).message}`, { node: spec.id });
    }
    const attributes = new Map<string, string>();
    for (const [k, v] of Object.entries(spec.attributes ?? {})) attributes.set(k, String(v));
    attributes.set("hostname", spec.hostname);
    const index = this.nodes.length;
    const record: NodeRecord = {
      index,
      id: spec.id,
      hostname: spec.hostname,
      total,
      portRanges: ports.ranges(),
      attributes,
      removed: false,
    };
    this.nodes.push(record);
    this.byId.set(spec.id, index);
    this.freeCpus.push(total.cpus);
    this.freeMem.push(total.mem);
    this.freeDisk.push(total.disk);
    this.freeGpus.push(total.gpus);
    this.freePorts.push(ports);
    return record;
  }

  /**
   * Marks a node gone: nothing is free on it any more and it is never offered again. Indexes
   * stay stable so that arrays indexed by node remain valid. Offers on it must be rescinded
   * by the offer book (`OfferBook.rescind`).
   */
  remove(id: string): NodeRecord | undefined {
    const i = this.byId.get(id);
    if (i === undefined) return undefined;
    const node = this.nodes[i]!;
    node.removed = true;
    this.setFree(i, zero(), PortSet.empty());
    return node;
  }

  indexOf(id: string): number | undefined {
    return this.byId.get(id);
  }

  attribute(index: number, field: string): string | undefined {
    return this.nodes[index]?.attributes.get(field);
  }

  freeOf(index: number): Resources {
    return {
      cpus: this.freeCpus[index]!,
      mem: this.freeMem[index]!,
      disk: this.freeDisk[index]!,
      gpus: this.freeGpus[index]!,
    };
  }

  totals(): Resources {
    const sum = zero();
    for (const n of this.nodes) {
      if (n.removed) continue;
      sum.cpus += n.total.cpus;
      sum.mem += n.total.mem;
      sum.disk += n.total.disk;
      sum.gpus += n.total.gpus;
    }
    return sum;
  }

  /** Whether `demand` and `ports` are free on the node. */
  canAllocate(index: number, demand: Resources, ports: readonly number[] = []): boolean {
    const node = this.nodes[index];
    if (!node || node.removed || !fits(demand, this.freeOf(index))) return false;
    const set = this.freePorts[index]!;
    for (let i = 0; i < ports.length; i++) {
      if (!set.has(ports[i]!) || ports.indexOf(ports[i]!) !== i) return false;
    }
    return true;
  }

  /** Takes resources and ports for a new task. Throws OVERCOMMIT if they are not all free. */
  allocate(index: number, demand: Resources, ports: readonly number[] = []): void {
    if (!this.canAllocate(index, demand, ports)) {
      throw new SchedulerError(
        "OVERCOMMIT",
        `node ${this.nodes[index]?.id ?? index} does not have the resources or ports asked for`,
        { node: this.nodes[index]?.id, ports: [...ports] },
      );
    }
    this.occupy(index, demand, ports);
  }

  /** Records resources and ports in use as reported, even beyond the node's capacity. */
  occupy(index: number, used: Resources, ports: readonly number[] = []): void {
    this.freeCpus[index]! -= used.cpus;
    this.freeMem[index]! -= used.mem;
    this.freeDisk[index]! -= used.disk;
    this.freeGpus[index]! -= used.gpus;
    const set = this.freePorts[index]!;
    for (const p of ports) set.take([p]);
  }

  /** Gives back what a task held (ports outside the node's ranges are dropped). */
  release(index: number, used: Resources, ports: readonly number[] = []): void {
    const node = this.nodes[index];
    if (!node || node.removed) return;
    this.freeCpus[index]! += used.cpus;
    this.freeMem[index]! += used.mem;
    this.freeDisk[index]! += used.disk;
    this.freeGpus[index]! += used.gpus;
    this.freePorts[index]!.add(ports.filter((p) => node.portRanges.some(([b, e]) => p >= b && p <= e)));
  }

  /** Replaces a node's free resources and ports (used by offers to hold and return them). */
  setFree(index: number, free: Resources, ports: PortSet): void {
    this.freeCpus[index] = free.cpus;
    this.freeMem[index] = free.mem;
    this.freeDisk[index] = free.disk;
    this.freeGpus[index] = free.gpus;
    this.freePorts[index] = ports;
  }
}

/**
 * A max-segment tree over node positions that answers "the first position whose free cpus,
 * mem, disk, gpus and port count all cover this demand" in about O(log n), so bin-packing an
 * unconstrained task never scans the nodes that are already full. Each internal cell keeps the
 * maximum of each dimension below it; a subtree whose maximum of any dimension falls short is
 * skipped whole.
 */

/** Free amounts by position, one array per dimension (cpus, mem, disk, gpus, ports). */
export type FitDims = readonly [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];

export class FitTree {
  private readonly size: number;
  private readonly c: Float64Array;
  private readonly m: Float64Array;
  private readonly d: Float64Array;
  private readonly g: Float64Array;
  private readonly p: Float64Array;

  /** Builds the tree from free amounts indexed by position. */
  constructor(leaves: FitDims) {
    const n = leaves[0].length;
    let size = 1;
    while (size < n) size *= 2;
    this.size = size;
    const arrays = [0, 1, 2, 3, 4].map(() => new Float64Array(2 * size).fill(-1));
    [this.c, this.m, this.d, this.g, this.p] = arrays as [
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
      Float64Array,
    ];
    for (let k = 0; k < 5; k++) arrays[k]!.set(leaves[k]!, size);
    for (let x = size - 1; x >= 1; x--) this.pull(x);
  }

  /** Sets the free amounts of one position. */
  set(pos: number, cpus: number, mem: number, disk: number, gpus: number, ports: number): void {
    let x = this.size + pos;
    this.c[x] = cpus;
    this.m[x] = mem;
    this.d[x] = disk;
    this.g[x] = gpus;
    this.p[x] = ports;
    for (x >>= 1; x >= 1; x >>= 1) this.pull(x);
  }

  /** The leftmost position covering the demand on every dimension, or -1. */
  findFirst(cpus: number, mem: number, disk: number, gpus: number, ports: number): number {
    return this.search(1, cpus, mem, disk, gpus, ports);
  }

  private search(x: number, cpus: number, mem: number, disk: number, gpus: number, ports: number): number {
    if (
      this.c[x]! < cpus ||
      this.m[x]! < mem ||
      this.d[x]! < disk ||
      this.g[x]! < gpus ||
      this.p[x]! < ports
    ) {
      return -1;
    }
    if (x >= this.size) return x - this.size;
    const left = this.search(2 * x, cpus, mem, disk, gpus, ports);
    return left >= 0 ? left : this.search(2 * x + 1, cpus, mem, disk, gpus, ports);
  }

  private pull(x: number): void {
    const l = 2 * x;
    const r = l + 1;
    this.c[x] = Math.max(this.c[l]!, this.c[r]!);
    this.m[x] = Math.max(this.m[l]!, this.m[r]!);
    this.d[x] = Math.max(this.d[l]!, this.d[r]!);
    this.g[x] = Math.max(this.g[l]!, this.g[r]!);
    this.p[x] = Math.max(this.p[l]!, this.p[r]!);
  }
}

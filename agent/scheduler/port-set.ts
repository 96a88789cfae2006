/**
 * A set of ports kept as sorted, disjoint, inclusive intervals (`[31000-32000]` is one pair, not
 * a thousand entries), so that a node's free ports cost memory by fragmentation, not by size,
 * and "take the n lowest free ports" is proportional to n.
 */
import { SchedulerError } from "./errors.js";

/** An inclusive port range `[begin, end]`. */
export type PortRange = readonly [number, number];

/** Mutable set of ports: flat `[b0, e0, b1, e1, …]`, sorted, disjoint, non-adjacent. */
export class PortSet {
  private r: number[];
  private n: number;

  private constructor(flat: number[]) {
    this.r = flat;
    let n = 0;
    for (let i = 0; i < flat.length; i += 2) n += flat[i + 1]! - flat[i]! + 1;
    this.n = n;
  }

  /** Builds a set from ranges (any order, may overlap) or Mesos text like `"[31000-32000, 8080-8080]"`. */
  static from(ranges: readonly PortRange[] | string): PortSet {
    const list = typeof ranges === "string" ? parseRanges(ranges) : ranges;
    const sorted = [...list].sort((a, b) => a[0] - b[0]);
    const flat: number[] = [];
    for (const [b, e] of sorted) {
      if (!Number.isInteger(b) || !Number.isInteger(e) || b < 1 || e > 65535 || b > e) {
        throw new SchedulerError("INVALID_ARGUMENT", `port range [${b}-${e}] is not within 1-65535`);
      }
      const last = flat.length - 1;
      if (last > 0 && b <= flat[last]! + 1) flat[last] = Math.max(flat[last]!, e);
      else flat.push(b, e);
    }
    return new PortSet(flat);
  }

  /** An empty set. */
  static empty(): PortSet {
    return new PortSet([]);
  }

  /** How many ports the set holds. */
  get size(): number {
    return this.n;
  }

  /** The ranges, for reports. */
  ranges(): PortRange[] {
    const out: PortRange[] = [];
    for (let i = 0; i < this.r.length; i += 2) out.push([this.r[i]!, this.r[i + 1]!]);
    return out;
  }

  clone(): PortSet {
    const c = new PortSet([]);
    c.r = this.r.slice();
    c.n = this.n;
    return c;
  }

  has(port: number): boolean {
    return this.find(port) >= 0;
  }

  /**
   * The `count` lowest ports of the set that are not in `exclude`, or undefined if it holds
   * fewer. Does not change the set; `take` does.
   */
  lowest(count: number, exclude: readonly number[] = []): number[] | undefined {
    if (count === 0) return [];
    if (this.n < count) return undefined;
    const out: number[] = [];
    for (let i = 0; i < this.r.length && out.length < count; i += 2) {
      for (let p = this.r[i]!; p <= this.r[i + 1]! && out.length < count; p++) {
        if (exclude.length === 0 || !exclude.includes(p)) out.push(p);
      }
    }
    return out.length === count ? out : undefined;
  }

  /** Removes every port of `ports` if all are present and distinct; otherwise changes nothing. */
  take(ports: readonly number[]): boolean {
    for (let i = 0; i < ports.length; i++) {
      if (!this.has(ports[i]!)) return false;
      for (let j = 0; j < i; j++) if (ports[j] === ports[i]) return false;
    }
    for (const p of ports) this.remove(p);
    return true;
  }

  /** Adds ports back (ports already present are ignored). */
  add(ports: readonly number[]): void {
    for (const p of ports) this.insert(p);
  }

  /** Index of the range start holding `port`, or -1. */
  private find(port: number): number {
    let lo = 0;
    let hi = this.r.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.r[mid * 2]!;
      const e = this.r[mid * 2 + 1]!;
      if (port < b) hi = mid - 1;
      else if (port > e) lo = mid + 1;
      else return mid * 2;
    }
    return -1;
  }

  private remove(port: number): void {
    const i = this.find(port);
    if (i < 0) return;
    const b = this.r[i]!;
    const e = this.r[i + 1]!;
    if (b === e) this.r.splice(i, 2);
    else if (port === b) this.r[i] = b + 1;
    else if (port === e) this.r[i + 1] = e - 1;
    else this.r.splice(i, 2, b, port - 1, port + 1, e);
    this.n--;
  }

  private insert(port: number): void {
    if (this.has(port)) return;
    // First range that starts after the port.
    let i = 0;
    while (i < this.r.length && this.r[i]! < port) i += 2;
    const joinsPrev = i > 0 && this.r[i - 1] === port - 1;
    const joinsNext = i < this.r.length && this.r[i] === port + 1;
    if (joinsPrev && joinsNext) this.r.splice(i - 1, 2);
    else if (joinsPrev) this.r[i - 1] = port;
    else if (joinsNext) this.r[i] = port;
    else this.r.splice(i, 0, port, port);
    this.n++;
  }
}

/** Parses `"[31000-32000, 8080-8080]"` (the Mesos text form) into ranges. */
export function parseRanges(text: string): PortRange[] {
  const body = text.trim().replace(/^\[/, "").replace(/\]$/, "").trim();
  if (body === "") return [];
  return body.split(",").map((part) => {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!m)
      throw new SchedulerError("INVALID_ARGUMENT", `port range "${part.trim()}" is not like 31000-32000`);
    const b = Number(m[1]);
    return [b, m[2] === undefined ? b : Number(m[2])] as const;
  });
}

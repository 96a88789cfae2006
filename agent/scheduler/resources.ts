/**
 * Scalar resource vectors. Inside the scheduler every amount is an integer in fixed point:
 * cpus, mem and disk in thousandths (cpus have 3 decimals in SCHEDULING.md; sums of 0.1 cpus
 * must not drift the way binary floats do), gpus in whole units. Conversions happen only at the
 * edges (`toFixed` when a node or app comes in, `toAmounts` when a launch goes out).
 */
import { SchedulerError } from "./errors.js";

/** Fixed-point resource vector: cpus, mem (MB) and disk (MB) × 1000; gpus whole. */
export interface Resources {
  cpus: number;
  mem: number;
  disk: number;
  gpus: number;
}

/** Resource amounts in natural units, as written in apps, jobs and node reports. */
export interface ResourceAmounts {
  cpus: number;
  mem: number;
  disk?: number;
  gpus?: number;
}

/** The scalar resources, in the order explanations mention them. */
export const SCALARS = ["cpus", "mem", "disk", "gpus"] as const;
export type ScalarName = (typeof SCALARS)[number];

const SCALE = 1000;

/** Converts natural units to fixed point; throws INVALID_ARGUMENT on negative or non-finite input. */
export function toFixed(amounts: Partial<ResourceAmounts>): Resources {
  const cpus = amounts.cpus ?? 0;
  const mem = amounts.mem ?? 0;
  const disk = amounts.disk ?? 0;
  const gpus = amounts.gpus ?? 0;
  for (const [name, v] of [
    ["cpus", cpus],
    ["mem", mem],
    ["disk", disk],
    ["gpus", gpus],
  ] as const) {
    if (!Number.isFinite(v) || v < 0) {
      throw new SchedulerError("INVALID_ARGUMENT", `${name} must be a finite number ≥ 0, got ${v}`);
    }
  }
  if (!Number.isInteger(gpus)) {
    throw new SchedulerError("INVALID_ARGUMENT", `gpus must be a whole number, got ${gpus}`);
  }
  return {
    cpus: Math.round(cpus * SCALE),
    mem: Math.round(mem * SCALE),
    disk: Math.round(disk * SCALE),
    gpus,
  };
}

/** Converts fixed point back to natural units. */
export function toAmounts(r: Resources): Required<ResourceAmounts> {
  return { cpus: r.cpus / SCALE, mem: r.mem / SCALE, disk: r.disk / SCALE, gpus: r.gpus };
}

/** The natural-unit value of one fixed-point scalar. */
export function naturalValue(name: ScalarName, fixed: number): number {
  return name === "gpus" ? fixed : fixed / SCALE;
}

/** A fresh zero vector. */
export function zero(): Resources {
  return { cpus: 0, mem: 0, disk: 0, gpus: 0 };
}

/** A copy of `r`. */
export function copy(r: Resources): Resources {
  return { cpus: r.cpus, mem: r.mem, disk: r.disk, gpus: r.gpus };
}

/** Whether `demand` fits in `free` on every scalar. */
export function fits(demand: Resources, free: Resources): boolean {
  return (
    demand.cpus <= free.cpus && demand.mem <= free.mem && demand.disk <= free.disk && demand.gpus <= free.gpus
  );
}

/** Adds `k × b` to `target` in place and returns it. */
export function addInto(target: Resources, b: Resources, k = 1): Resources {
  target.cpus += b.cpus * k;
  target.mem += b.mem * k;
  target.disk += b.disk * k;
  target.gpus += b.gpus * k;
  return target;
}

/** Subtracts `k × b` from `target` in place and returns it. */
export function subtractInto(target: Resources, b: Resources, k = 1): Resources {
  return addInto(target, b, -k);
}

/** Whether every scalar is zero. */
export function isZero(r: Resources): boolean {
  return r.cpus === 0 && r.mem === 0 && r.disk === 0 && r.gpus === 0;
}

/**
 * Dominant share: the largest fraction of `total` that `used` takes on any scalar (scalars the
 * total lacks are ignored). This is DRF's measure and the bench's lower-bound measure.
 */
export function dominantShare(used: Resources, total: Resources): number {
  let share = 0;
  for (const name of SCALARS) {
    if (total[name] > 0) share = Math.max(share, used[name] / total[name]);
  }
  return share;
}

/** "2048 MB mem", "1.5 cpus", "1 gpus": how explanations name an amount. */
export function formatAmount(name: ScalarName, fixed: number): string {
  const v = naturalValue(name, fixed);
  const shown = Number.isInteger(v) ? String(v) : String(Number(v.toFixed(3)));
  return name === "mem" || name === "disk" ? `${shown} MB ${name}` : `${shown} ${name}`;
}

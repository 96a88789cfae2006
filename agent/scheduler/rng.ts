/**
 * Seeded pseudo-random numbers for the scheduler. The scheduler must give identical results for
 * an identical seed (tests, replays, two agents comparing notes), so it never calls Math.random;
 * every random choice (node visit order, task id tags) draws from an `Rng` passed in.
 */

/** A source of reproducible pseudo-random numbers. */
export interface Rng {
  /** The next 32-bit unsigned integer. */
  next(): number;
  /** A float in [0, 1). */
  float(): number;
  /** An integer in [0, n). */
  int(n: number): number;
}

/**
 * xoshiro128** seeded through splitmix32: fast, small state, and good statistical quality
 * (unlike a linear congruential generator, low bits are usable for shuffles).
 *
 * @example const rng = createRng(42); rng.int(10); // same value on every run
 */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };
  return {
    next,
    float: () => next() / 4294967296,
    int: (n) => Math.floor((next() / 4294967296) * n),
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Fisher–Yates shuffle in place; returns the same array. */
export function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i]!;
    items[i] = items[j]!;
    items[j] = tmp;
  }
  return items;
}

/**
 * Capped exponential backoff with full jitter ("AWS full jitter"): after the n-th failure in a
 * row, wait a random time in [base, min(cap, base × 2^n)]. Agents of a fleet that lost the
 * gateway at the same moment therefore do not all come back at the same moment.
 */

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** A number in [0, 1); Math.random by default. */
  random?: () => number;
}

export class Backoff {
  private failures = 0;
  constructor(private readonly options: BackoffOptions) {}

  /** Records a failure and returns how long to wait before the next try. */
  next(): number {
    const { baseMs, capMs } = this.options;
    const random = this.options.random ?? Math.random;
    const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(this.failures, 30));
    this.failures++;
    return Math.round(baseMs + random() * Math.max(0, ceiling - baseMs));
  }

  /** A success: the next failure starts from the base again. */
  reset(): void {
    this.failures = 0;
  }

  /** Failures in a row so far. */
  get attempts(): number {
    return this.failures;
  }
}

/** `ms` ± `fraction` (e.g. 0.2 = ±20 %), so that periodic work of many agents spreads out. */
export function jitter(ms: number, fraction: number, random: () => number = Math.random): number {
  return Math.max(0, Math.round(ms * (1 - fraction + 2 * fraction * random())));
}

/**
 * The clock and timers the health monitor and kill limiter run on: the system's by default, a
 * manual one in tests (time moves only when the test says so).
 */

export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Pending {
  id: number;
  due: number;
  fn: () => void;
}

/**
 * @example
 *   const timers = new ManualTimers();
 *   const monitor = new HealthMonitor({ ..., timers });
 *   monitor.start();
 *   await timers.advance(60_000); // runs every timer due in the next minute, in order
 */
export class ManualTimers implements Timers {
  private current: number;
  private nextId = 1;
  private pending: Pending[] = [];

  constructor(start = 1_000_000) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, due: this.current + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** How many timers are waiting. */
  get size(): number {
    return this.pending.length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order; after each, lets promise callbacks
   * (a probe settling, the next timer being chained) run before looking again.
   */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    await settle();
    for (;;) {
      const next = this.pending
        .filter((p) => p.due <= target)
        .sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.pending = this.pending.filter((p) => p !== next);
      this.current = next.due;
      next.fn();
      await settle();
    }
    this.current = target;
  }
}

/** Lets every queued promise callback run (a few macrotask turns). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

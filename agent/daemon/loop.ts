/**
 * The shape of every loop of the daemon (trigger.dev supervisor habits): cycles chained with
 * setTimeout, never overlapping; each cycle returns how long to wait before the next; every
 * error is caught inside the cycle (logged, then retried after `errorDelayMs`); `kick()` runs
 * the next cycle at once (or right after the one in flight); `stop()` aborts the cycle's signal
 * and waits for it to end. start() and stop() are safe to call twice.
 */
import type { Timers } from "../health/timers.js";
import type { Logger } from "./logger.js";

export interface LoopOptions {
  name: string;
  timers: Timers;
  logger: Logger;
  /** One cycle; resolves with the delay before the next one, in ms. */
  cycle: (signal: AbortSignal) => Promise<number>;
  /** Delay after a cycle that threw (default 1 s). */
  errorDelayMs?: () => number;
}

export class Loop {
  private timer: unknown;
  private running: Promise<void> | undefined;
  private kicked = false;
  private started = false;
  private stopped = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: LoopOptions) {}

  /** Starts the loop; the first cycle runs after `delayMs`. */
  start(delayMs = 0): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.schedule(delayMs);
  }

  /** Runs a cycle now, or right after the one in flight. */
  kick(): void {
    if (!this.started || this.stopped) return;
    if (this.running) {
      this.kicked = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops scheduling, aborts the cycle in flight and waits for it. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.abort.abort();
    await this.running;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer !== undefined) this.options.timers.clearTimeout(this.timer);
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = undefined;
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
    }, ms);
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    this.kicked = false;
    let delay: number;
    try {
      delay = await this.options.cycle(this.abort.signal);
    } catch (err) {
      delay = this.options.errorDelayMs?.() ?? 1000;
      if (!this.stopped)
        this.options.logger.error(`${this.options.name} cycle failed`, { error: err, retryInMs: delay });
    }
    if (this.stopped) return;
    this.schedule(this.kicked ? 0 : Math.max(0, delay));
  }
}

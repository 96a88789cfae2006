/**
 * Runs one health check of one task with Marathon's rules:
 * - checks run on chained timers, never overlapping: the next starts `interval` after the start of
 *   the previous one, or right after it when a check took longer than the interval;
 * - a check that has not answered within `timeout` fails (and is aborted);
 * - failures are ignored during the grace period after the task started, until its first success;
 * - any counted failure makes the task unhealthy; `maxConsecutiveFailures` of them in a row (0 =
 *   never) decide to kill it, if the app's KillLimiter grants it. After a granted kill the monitor
 *   stops checking; a deferred kill is asked for again on the next failed check.
 */
import type { KillLimiter } from "./kill-limiter.js";
import { systemTimers, type Timers } from "./timers.js";
import {
  type HealthCheckSpec,
  type NormalizedCheck,
  normalizeCheck,
  type Probe,
  type ProbeResult,
} from "./types.js";

export type HealthState = "pending" | "healthy" | "unhealthy";

export type HealthEvent =
  | { type: "check"; at: number; result: ProbeResult; counted: boolean }
  | { type: "healthy"; at: number }
  | { type: "unhealthy"; at: number; reason: string; consecutiveFailures: number }
  | { type: "kill"; at: number; reason: string; consecutiveFailures: number }
  | { type: "kill-deferred"; at: number; reason: string; consecutiveFailures: number };

export interface HealthStatus {
  state: HealthState;
  consecutiveFailures: number;
  /** maxConsecutiveFailures reached (and not 0). */
  shouldKill: boolean;
  /** The kill was granted and announced; the monitor has stopped. */
  killed: boolean;
  checks: number;
  /** Failures that fell into the grace period. */
  ignoredFailures: number;
  lastResult?: ProbeResult & { at: number };
}

export interface HealthMonitorOptions {
  check: HealthCheckSpec;
  probe: Probe;
  /** When the task started (ms epoch); the grace period counts from here. Default: now. */
  startedAt?: number;
  timers?: Timers;
  onEvent?: (event: HealthEvent) => void;
  /** Without it, every kill decision is announced at once. */
  killLimit?: { limiter: KillLimiter; appId: string; taskId: string; instances: () => number };
}

export class HealthMonitor {
  readonly check: NormalizedCheck;
  private readonly timers: Timers;
  private readonly startedAt: number;
  private state: HealthState = "pending";
  private consecutiveFailures = 0;
  private everHealthy = false;
  private checks = 0;
  private ignoredFailures = 0;
  private killed = false;
  private lastResult: (ProbeResult & { at: number }) | undefined;
  private running = false;
  private stopped = false;
  private timer: unknown;
  private inFlight: AbortController | undefined;

  constructor(private readonly options: HealthMonitorOptions) {
    this.check = normalizeCheck(options.check);
    this.timers = options.timers ?? systemTimers;
    this.startedAt = options.startedAt ?? this.timers.now();
  }

  /** Starts checking (after delaySeconds). Safe to call twice; a stopped monitor stays stopped. */
  start(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    this.schedule(this.check.delayMs);
  }

  /** Stops checking and aborts a check in flight. Safe to call twice. */
  stop(): void {
    this.stopped = true;
    this.running = false;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort();
  }

  get shouldKill(): boolean {
    const max = this.check.maxConsecutiveFailures;
    return max > 0 && this.consecutiveFailures >= max;
  }

  status(): HealthStatus {
    return {
      state: this.state,
      consecutiveFailures: this.consecutiveFailures,
      shouldKill: this.shouldKill,
      killed: this.killed,
      checks: this.checks,
      ignoredFailures: this.ignoredFailures,
      ...(this.lastResult ? { lastResult: this.lastResult } : {}),
    };
  }

  private schedule(ms: number): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      void this.cycle();
    }, ms);
  }

  private async cycle(): Promise<void> {
    if (this.stopped) return;
    const began = this.timers.now();
    let result: ProbeResult;
    try {
      result = await this.attempt();
    } catch (err) {
      result = { ok: false, message: `check failed: ${(err as Error).message}` };
    }
    if (this.stopped) return;
    try {
      this.record(result);
    } catch {
      // a throwing listener must not end the monitor
    }
    if (this.stopped || this.killed) return;
    const elapsed = this.timers.now() - began;
    this.schedule(Math.max(0, this.check.intervalMs - elapsed));
  }

  /** Runs the probe, aborting it when the timeout passes first. */
  private attempt(): Promise<ProbeResult> {
    const controller = new AbortController();
    this.inFlight = controller;
    const probe = this.options.probe(controller.signal);
    if (this.check.timeoutMs <= 0) return probe.finally(() => this.clearInFlight(controller));
    return new Promise<ProbeResult>((resolve) => {
      const timeout = this.timers.setTimeout(() => {
        controller.abort();
        resolve({ ok: false, message: `timed out after ${this.check.timeoutMs / 1000} s` });
      }, this.check.timeoutMs);
      probe.then(
        (r) => {
          this.timers.clearTimeout(timeout);
          resolve(r);
        },
        (err: Error) => {
          this.timers.clearTimeout(timeout);
          resolve({ ok: false, message: `check failed: ${err.message}` });
        },
      );
    }).finally(() => this.clearInFlight(controller));
  }

  private clearInFlight(controller: AbortController): void {
    if (this.inFlight === controller) this.inFlight = undefined;
  }

  private record(result: ProbeResult): void {
    const at = this.timers.now();
    this.checks++;
    this.lastResult = { ...result, at };
    if (result.ok) {
      this.consecutiveFailures = 0;
      this.everHealthy = true;
      this.emit({ type: "check", at, result, counted: true });
      if (this.state !== "healthy") {
        this.state = "healthy";
        this.emit({ type: "healthy", at });
      }
      return;
    }
    const inGrace = !this.everHealthy && at - this.startedAt < this.check.gracePeriodMs;
    this.emit({ type: "check", at, result, counted: !inGrace });
    if (inGrace) {
      this.ignoredFailures++;
      return;
    }
    this.consecutiveFailures++;
    const consecutiveFailures = this.consecutiveFailures;
    if (this.state !== "unhealthy") {
      this.state = "unhealthy";
      this.emit({ type: "unhealthy", at, reason: result.message, consecutiveFailures });
    }
    if (!this.shouldKill) return;
    const reason = `${consecutiveFailures} consecutive ${this.check.protocol} health check failures; last: ${result.message}`;
    const limit = this.options.killLimit;
    if (limit && !limit.limiter.tryAcquire(limit.appId, limit.taskId, limit.instances())) {
      this.emit({
        type: "kill-deferred",
        at,
        reason: `${reason}; deferred: ${limit.limiter.inFlight(limit.appId).length} task(s) of ${limit.appId} are already being killed for health`,
        consecutiveFailures,
      });
      return;
    }
    this.killed = true;
    this.running = false;
    this.emit({ type: "kill", at, reason, consecutiveFailures });
  }

  private emit(event: HealthEvent): void {
    this.options.onEvent?.(event);
  }
}

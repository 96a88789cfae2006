/**
 * Limits how many tasks of one app health checks may kill at once: at most
 * max(1, floor(fraction × instances)) kills per app within a sliding window (default 10 % per
 * minute). When the checker itself is overloaded every task looks unhealthy; without a limit the
 * whole app would be killed at once (Marathon users' complaint).
 */
import { systemTimers, type Timers } from "./timers.js";

export interface KillLimiterOptions {
  /** Share of the app's instances that may be killed together (default 0.1). */
  fraction?: number;
  /** How long a kill holds its slot unless released sooner (default 60 s). */
  windowMs?: number;
  timers?: Pick<Timers, "now">;
}

export class KillLimiter {
  private readonly fraction: number;
  private readonly windowMs: number;
  private readonly timers: Pick<Timers, "now">;
  /** appId → taskId → when its kill was granted. */
  private readonly granted = new Map<string, Map<string, number>>();

  constructor(options: KillLimiterOptions = {}) {
    this.fraction = options.fraction ?? 0.1;
    this.windowMs = options.windowMs ?? 60_000;
    this.timers = options.timers ?? systemTimers;
  }

  /** How many kills an app of this size may have in flight. */
  allowance(instances: number): number {
    return Math.max(1, Math.floor(this.fraction * instances));
  }

  /** True when this task may be killed now (asking again for a task already granted is true). */
  tryAcquire(appId: string, taskId: string, instances: number): boolean {
    const kills = this.active(appId);
    if (kills.has(taskId)) return true;
    if (kills.size >= this.allowance(instances)) return false;
    kills.set(taskId, this.timers.now());
    return true;
  }

  /** Frees a slot before the window ends (e.g. the replacement is healthy). */
  release(appId: string, taskId: string): void {
    const kills = this.granted.get(appId);
    kills?.delete(taskId);
    if (kills?.size === 0) this.granted.delete(appId);
  }

  /** Task ids whose kill still holds a slot. */
  inFlight(appId: string): string[] {
    return [...this.active(appId).keys()];
  }

  private active(appId: string): Map<string, number> {
    let kills = this.granted.get(appId);
    if (!kills) {
      kills = new Map();
      this.granted.set(appId, kills);
    }
    const cutoff = this.timers.now() - this.windowMs;
    for (const [taskId, at] of kills) if (at <= cutoff) kills.delete(taskId);
    return kills;
  }
}

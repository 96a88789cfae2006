/**
 * The daemon's clock and timers. Unlike the health checks' `systemTimers` (unref'd, so a probe
 * never keeps a process alive), the daemon's loops must keep the agent process running while
 * they wait, e.g. between retries while the gateway is down, so these timers are ref'd.
 */
import type { Timers } from "../health/timers.js";

export const daemonTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Resolves after `ms` on `timers`, or at once when `signal` aborts. */
export function sleep(timers: Timers, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      timers.clearTimeout(handle);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const handle = timers.setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

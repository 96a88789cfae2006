/** Timings of the daemon's loops: the defaults suit production; tests shorten some. */

export interface DaemonTimings {
  /** Plain polling interval when the gateway does not long-poll. */
  pollIntervalMs: number;
  /** How long a long-poll asks the gateway to hold (capped at agentStaleMs / 2). */
  longPollSeconds: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** The holder's scheduling cadence while work is under way, and when idle. */
  scheduleActiveMs: number;
  scheduleIdleMs: number;
  /** How long stop() tries to deliver the outbox. */
  stopFlushMs: number;
  /** Re-applies the desired state this often (retries failed kills, cleans up ended tasks). */
  resyncMs: number;
  /** Without an answer from the gateway this long after start, run the stored desired state. */
  offlineStartMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_TIMINGS: DaemonTimings = {
  pollIntervalMs: 2_000,
  longPollSeconds: 25,
  backoffBaseMs: 500,
  backoffCapMs: 15_000,
  scheduleActiveMs: 1_000,
  scheduleIdleMs: 5_000,
  stopFlushMs: 5_000,
  resyncMs: 10_000,
  offlineStartMs: 5_000,
  requestTimeoutMs: 15_000,
};

/**
 * The scheduling lease, from this agent's side. Every agent asks for it; the holder renews it
 * every ttlMs / 3 and counts itself the holder only until `request start + ttlMs` on its own
 * clock (never the gateway's `expiresAt`), so a renewal that hangs or fails ends its role
 * before the gateway could hand the lease to another agent. The epoch is the fencing token
 * of its assignments; a STALE_EPOCH answer ends the role at once (`lost()`).
 */
import type { Lease } from "../../gateway/contract/agent.js";
import type { Timers } from "../health/timers.js";
import { Backoff, jitter } from "./backoff.js";
import { type GatewayClient, isGatewayError } from "./gateway-client.js";
import type { Logger } from "./logger.js";
import { Loop } from "./loop.js";

export interface LeaseKeeperOptions {
  client: Pick<GatewayClient, "lease">;
  timers: Timers;
  logger: Logger;
  /** The gateway's lease lifetime (registration settings), for retry pacing. */
  leaseMs: number;
  /** Called when this agent becomes the holder (with its epoch) or stops being it. */
  onChange: (holder: boolean, epoch: number) => void;
  onUnauthorized: (error: Error) => void;
  random?: () => number;
}

export class LeaseKeeper {
  private readonly loop: Loop;
  private readonly backoff: Backoff;
  private holder = false;
  private epochValue = 0;
  private expiresAt = 0;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.backoff = new Backoff({ baseMs: 250, capMs: Math.max(500, options.leaseMs / 3) });
    this.loop = new Loop({
      name: "lease",
      timers: options.timers,
      logger: options.logger,
      cycle: (signal) => this.cycle(signal),
      errorDelayMs: () => this.backoff.next(),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Whether this agent may schedule now: it holds a lease that has not run out on its own clock. */
  isHolder(): boolean {
    return this.holder && this.options.timers.now() < this.expiresAt;
  }

  /** The epoch of this agent's lease (meaningful while it is the holder). */
  get epoch(): number {
    return this.epochValue;
  }

  /** The gateway refused an assignment as stale: stop scheduling and ask again at once. */
  lost(): void {
    this.drop("the gateway refused this agent's epoch");
    this.loop.kick();
  }

  /** Stops renewing; with `release`, gives the lease up so another agent can take it at once. */
  async stop(release: boolean): Promise<void> {
    await this.loop.stop();
    const wasHolder = this.isHolder();
    this.drop("the agent is stopping");
    if (!release || !wasHolder) return;
    try {
      await this.options.client.lease({ release: true }, AbortSignal.timeout(2_000));
      this.options.logger.info("scheduling lease released");
    } catch (err) {
      this.options.logger.warn("could not release the scheduling lease; it expires by itself", {
        error: err,
      });
    }
  }

  private async cycle(signal: AbortSignal): Promise<number> {
    const { timers, leaseMs, random } = this.options;
    const began = timers.now();
    let lease: Lease;
    try {
      lease = await this.options.client.lease({}, signal);
    } catch (err) {
      if (signal.aborted) return 0;
      if (isGatewayError(err, "unauthorized")) {
        this.options.onUnauthorized(err);
        return 60_000;
      }
      if (this.holder && !this.isHolder()) this.drop("the lease ran out before it could be renewed");
      const retryInMs = this.backoff.next();
      this.options.logger.warn("cannot renew or acquire the scheduling lease", { error: err, retryInMs });
      return retryInMs;
    }
    this.backoff.reset();
    if (lease.holder && lease.ttlMs > 0) {
      const fresh = !this.holder || lease.epoch !== this.epochValue;
      this.holder = true;
      this.epochValue = lease.epoch;
      this.expiresAt = began + lease.ttlMs;
      if (fresh) {
        this.options.logger.info("holding the scheduling lease", { epoch: lease.epoch, ttlMs: lease.ttlMs });
        this.options.onChange(true, lease.epoch);
      }
      return Math.max(100, Math.floor(lease.ttlMs / 3));
    }
    this.drop(`another agent holds the lease (epoch ${lease.epoch})`);
    return jitter(Math.max(500, leaseMs / 3), 0.2, random);
  }

  private drop(why: string): void {
    if (!this.holder) return;
    this.holder = false;
    this.options.logger.info("not scheduling any more", { reason: why, epoch: this.epochValue });
    this.options.onChange(false, this.epochValue);
  }
}

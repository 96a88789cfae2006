/**
 * Delivers the outbox: status updates wait in the local store until the gateway acknowledges
 * their ids, in batches of at most 1,000, oldest first. Only acknowledged ids are deleted, so
 * a lost answer, a crash or a long outage means a resend, never a loss (the gateway ignores ids
 * it has seen). The node's inventory rides along with the first batch after a start or a
 * change. A batch the gateway refuses as invalid is split until the bad update is alone, and
 * that one is dropped with an error log rather than blocking everything behind it.
 */
import { type Inventory, MAX_STATUS_UPDATES, type StatusUpdate } from "../../gateway/contract/agent.js";
import type { Timers } from "../health/timers.js";
import { Backoff } from "./backoff.js";
import { type GatewayClient, isGatewayError } from "./gateway-client.js";
import type { Logger } from "./logger.js";
import { Loop } from "./loop.js";
import type { LocalStore } from "./store.js";
import { sleep } from "./timers.js";

export interface OutboxOptions {
  store: LocalStore;
  client: Pick<GatewayClient, "status">;
  timers: Timers;
  logger: Logger;
  /** Called when the gateway refuses the credential (the agent was deleted). */
  onUnauthorized: (error: Error) => void;
  backoff?: { baseMs: number; capMs: number };
  /** Longest sleep while the outbox is empty (a safety net; pushes wake it at once). */
  idleMs?: number;
  random?: () => number;
}

export class Outbox {
  private readonly loop: Loop;
  private readonly backoff: Backoff;
  private batchLimit = MAX_STATUS_UPDATES;
  private inventory: Inventory | undefined;
  private inventoryDirty = false;
  private delivered = 0;

  constructor(private readonly options: OutboxOptions) {
    this.backoff = new Backoff({
      baseMs: options.backoff?.baseMs ?? 500,
      capMs: options.backoff?.capMs ?? 15_000,
      ...(options.random && { random: options.random }),
    });
    this.loop = new Loop({
      name: "outbox",
      timers: options.timers,
      logger: options.logger,
      cycle: (signal) => this.cycle(signal),
      errorDelayMs: () => this.backoff.next(),
    });
  }

  start(): void {
    this.loop.start();
  }

  /** Something was queued: send it soon. */
  wake(): void {
    this.loop.kick();
  }

  /** Sends this inventory with the next batch (and again whenever it changes). */
  setInventory(inventory: Inventory): void {
    if (JSON.stringify(inventory) === JSON.stringify(this.inventory)) return;
    this.inventory = inventory;
    this.inventoryDirty = true;
    this.wake();
  }

  /** Updates acknowledged since start. */
  get deliveredCount(): number {
    return this.delivered;
  }

  /** Stops the loop; what is queued stays on disk for the next start. */
  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /**
   * Stops the loop, then tries to deliver everything queued until `deadlineMs` has passed.
   * Resolves true when the outbox is empty.
   */
  async flush(deadlineMs: number): Promise<boolean> {
    await this.loop.stop();
    const { timers } = this.options;
    const until = timers.now() + deadlineMs;
    const flushBackoff = new Backoff({ baseMs: 100, capMs: 1000 });
    for (;;) {
      const left = until - timers.now();
      if (left <= 0) break;
      try {
        const outcome = await this.deliver(AbortSignal.timeout(left));
        if (outcome === "empty") return true;
      } catch (err) {
        if (isGatewayError(err, "unauthorized")) return false;
        await sleep(timers, Math.min(flushBackoff.next(), Math.max(0, until - timers.now())));
      }
    }
    const left = await this.options.store.outboxSize();
    if (left > 0)
      this.options.logger.warn("outbox not empty at stop; it is sent on the next start", { queued: left });
    return left === 0;
  }

  private async cycle(signal: AbortSignal): Promise<number> {
    try {
      const outcome = await this.deliver(signal);
      this.backoff.reset();
      return outcome === "more" ? 0 : (this.options.idleMs ?? 30_000);
    } catch (err) {
      if (signal.aborted) return 0;
      if (isGatewayError(err, "unauthorized")) {
        this.options.onUnauthorized(err);
        return 60_000;
      }
      const retryInMs = this.backoff.next();
      this.options.logger.warn("status updates not delivered; retrying", { error: err, retryInMs });
      return retryInMs;
    }
  }

  /** One batch. "empty": nothing was queued; "more": a full batch went, more may wait; "sent". */
  private async deliver(signal: AbortSignal): Promise<"empty" | "more" | "sent"> {
    const { store, client, logger } = this.options;
    const { updates, broken } = await store.peekOutbox(this.batchLimit);
    if (broken.length > 0) {
      logger.error("dropping unreadable outbox rows", { ids: broken });
      await store.ackOutbox(broken);
    }
    if (updates.length === 0 && !this.inventoryDirty) return "empty";
    const inventory = this.inventoryDirty ? this.inventory : undefined;
    const full = updates.length >= this.batchLimit;
    try {
      const ack = await client.status({ updates, ...(inventory && { inventory }) }, signal);
      await store.ackOutbox(ack.acknowledged);
      this.delivered += ack.acknowledged.length;
      if (inventory === this.inventory) this.inventoryDirty = false;
      this.batchLimit = MAX_STATUS_UPDATES;
      return full ? "more" : "sent";
    } catch (err) {
      if (!isGatewayError(err, "rejected")) throw err;
      return this.refused(updates, err);
    }
  }

  /** The gateway refused the batch as invalid: narrow it down to the update at fault. */
  private async refused(updates: StatusUpdate[], err: Error): Promise<"more"> {
    if (updates.length > 1) {
      this.batchLimit = Math.max(1, Math.floor(updates.length / 2));
      this.options.logger.warn("the gateway refused a status batch; splitting it", {
        error: err,
        size: updates.length,
      });
      return "more";
    }
    if (updates.length === 1) {
      this.options.logger.error("the gateway refused a status update; dropping it", {
        error: err,
        update: updates[0],
      });
      await this.options.store.ackOutbox([updates[0]!.id]);
    } else {
      // Only the inventory went: do not resend it until it changes.
      this.options.logger.error("the gateway refused the inventory", { error: err });
      this.inventoryDirty = false;
    }
    this.batchLimit = MAX_STATUS_UPDATES;
    return "more";
  }
}

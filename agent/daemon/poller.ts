/**
 * Polls the desired state: conditional on the revision the agent has (`If-None-Match`),
 * long-polled (`?wait=`) where the gateway holds requests, otherwise at a jittered interval
 * (at least every agentStaleMs / 2, since polls are the heartbeat). Unreachable gateway:
 * capped exponential backoff with jitter, the cap no longer than agentStaleMs / 2 either, so
 * that a live agent is heard again within that time once the gateway is back (a lease holder
 * waits agentStaleMs of contact before it believes an agent is gone). Every document is parsed
 * with the contract's schema and checked to be this agent's before it is stored and acted on;
 * a malformed or foreign one is logged and ignored, and the agent keeps running the last one
 * it verified.
 */
import type { DesiredState } from "../../gateway/contract/agent.js";
import type { Timers } from "../health/timers.js";
import { Backoff, jitter } from "./backoff.js";
import { type GatewayClient, isGatewayError } from "./gateway-client.js";
import type { Logger } from "./logger.js";
import { Loop } from "./loop.js";
import type { LocalStore } from "./store.js";

export interface PollerOptions {
  client: Pick<GatewayClient, "desiredState">;
  store: Pick<LocalStore, "saveDesiredState">;
  identity: { agentId: string; clusterId: string };
  /** From the registration: whether the gateway long-polls, and the staleness bound. */
  settings: { longPoll: boolean; agentStaleMs: number; maxWaitSeconds: number };
  timers: Timers;
  logger: Logger;
  /** Called with each new verified document, after it was stored. */
  onDesiredState: (doc: DesiredState) => void;
  /** Called after every poll the gateway answered (200 or 304): what the agent has is current. */
  onSynced?: () => void;
  onUnauthorized: (error: Error) => void;
  /** Plain polling interval (default 2 s); long-polls wait `waitSeconds` (default 25). */
  intervalMs?: number;
  waitSeconds?: number;
  backoff?: { baseMs: number; capMs: number };
  random?: () => number;
}

export class Poller {
  private readonly loop: Loop;
  private readonly backoff: Backoff;
  private doc: DesiredState | undefined;
  private lastContact: number | undefined;
  /** The first poll does not wait: a 304 at once confirms the stored document is current. */
  private first = true;

  constructor(private readonly options: PollerOptions) {
    const baseMs = options.backoff?.baseMs ?? 500;
    this.backoff = new Backoff({
      baseMs,
      capMs: Math.max(baseMs, Math.min(options.backoff?.capMs ?? 15_000, options.settings.agentStaleMs / 2)),
      ...(options.random && { random: options.random }),
    });
    this.loop = new Loop({
      name: "poller",
      timers: options.timers,
      logger: options.logger,
      cycle: (signal) => this.cycle(signal),
      errorDelayMs: () => this.backoff.next(),
    });
  }

  /** Starts polling from `initial` (the stored document), if any. */
  start(initial?: DesiredState): void {
    if (initial && !this.doc) this.doc = initial;
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Polls again at once (e.g. after assignments were accepted). */
  kick(): void {
    this.loop.kick();
  }

  /** The last verified desired state. */
  get current(): DesiredState | undefined {
    return this.doc;
  }

  /** When the gateway last answered a poll (ms), if ever. */
  get lastContactAt(): number | undefined {
    return this.lastContact;
  }

  private interval(): number {
    const { settings, random } = this.options;
    const base = Math.min(this.options.intervalMs ?? 2_000, Math.max(500, settings.agentStaleMs / 2));
    return jitter(base, 0.2, random);
  }

  private async cycle(signal: AbortSignal): Promise<number> {
    const { client, timers, logger, settings } = this.options;
    // Polls are the heartbeat: a held poll must come back within agentStaleMs / 2.
    const waitSeconds =
      settings.longPoll && !this.first
        ? Math.max(
            1,
            Math.min(
              this.options.waitSeconds ?? 25,
              settings.maxWaitSeconds,
              Math.floor(settings.agentStaleMs / 2_000),
            ),
          )
        : undefined;
    const began = timers.now();
    try {
      const res = await client.desiredState({
        ...(this.doc && { revision: this.doc.revision }),
        ...(waitSeconds && { waitSeconds }),
        signal,
      });
      this.backoff.reset();
      this.lastContact = timers.now();
      if (res.status === 200) await this.accept(res.doc);
      const first = this.first;
      this.first = false;
      this.options.onSynced?.();
      if (first) return 0;
      // A long-poll that came back quickly with news: ask again at once; otherwise wait.
      const held = waitSeconds !== undefined && timers.now() - began >= 1_000;
      return res.status === 200 || held ? 0 : this.interval();
    } catch (err) {
      if (signal.aborted) return 0;
      if (isGatewayError(err, "unauthorized")) {
        this.options.onUnauthorized(err);
        return 60_000;
      }
      const retryInMs = this.backoff.next();
      if (isGatewayError(err, "malformed"))
        logger.error("ignored a desired state that does not match the contract", { error: err, retryInMs });
      else logger.warn("cannot reach the gateway; keeping the last desired state", { error: err, retryInMs });
      return retryInMs;
    }
  }

  private async accept(doc: DesiredState): Promise<void> {
    const { identity, logger } = this.options;
    if (doc.agentId !== identity.agentId || doc.clusterId !== identity.clusterId) {
      logger.error("ignored a desired state addressed to another agent", {
        agentId: doc.agentId,
        clusterId: doc.clusterId,
      });
      return;
    }
    if (this.doc && doc.revision < this.doc.revision) {
      logger.warn("ignored a desired state older than the one in hand", {
        revision: doc.revision,
        current: this.doc.revision,
      });
      return;
    }
    await this.options.store.saveDesiredState(doc);
    this.doc = doc;
    logger.debug("desired state", { revision: doc.revision, assignments: doc.assignments.length });
    this.options.onDesiredState(doc);
  }
}

/**
 * The running parts of a registered agent, wired together: the outbox, the executor, the
 * desired-state poller, the lease keeper and the scheduling loop. A new desired state goes to
 * the executor and wakes the scheduler; a local task change wakes the outbox and the scheduler,
 * and updates the free resources of the node's inventory report.
 * The stored desired state runs only once the gateway confirmed it (or failed to answer for
 * `offlineStartMs`): right after a restart, what the gateway says now beats what it said then.
 */
import type { DesiredState, Inventory } from "../../gateway/contract/agent.js";
import type { Timers } from "../health/timers.js";
import type { JobsDecision, JobsTick } from "../jobs/types.js";
import type { ContainerRuntime } from "../runtime/types.js";
import type { AgentIdentity } from "./credential.js";
import { Executor } from "./executor.js";
import { freeResources } from "./free-resources.js";
import type { GatewayClient } from "./gateway-client.js";
import type { GatewayContact } from "./gateway-contact.js";
import { JobSightings } from "./job-sightings.js";
import { LeaseKeeper } from "./lease.js";
import type { Logger } from "./logger.js";
import { Outbox } from "./outbox.js";
import { Poller } from "./poller.js";
import { Scheduling } from "./scheduling.js";
import type { LocalStore } from "./store.js";
import type { DaemonTimings } from "./timings.js";

export interface AgentLoopsOptions {
  identity: AgentIdentity;
  store: LocalStore;
  client: GatewayClient;
  /** Fed by `client`: how long the gateway has answered without a break. */
  contact: GatewayContact;
  runtime: ContainerRuntime;
  inventory: Inventory;
  timings: DaemonTimings;
  timers: Timers;
  healthTimers?: Timers;
  logger: Logger;
  newId: () => string;
  random: () => number;
  evaluateJobs: (tick: JobsTick) => JobsDecision;
  /** The gateway refused the credential. */
  onUnauthorized: (error: Error) => void;
}

export class AgentLoops {
  readonly outbox: Outbox;
  readonly executor: Executor;
  readonly lease: LeaseKeeper;
  readonly scheduling: Scheduling;
  readonly poller: Poller;
  private readonly sightings: JobSightings;
  private offlineTimer: unknown;
  private running = false;

  constructor(private readonly o: AgentLoopsOptions) {
    const { identity, store, client, timers, timings, logger, random, onUnauthorized } = o;
    const backoff = { baseMs: timings.backoffBaseMs, capMs: timings.backoffCapMs };
    const part = (component: string) => logger.child({ component });
    this.sightings = new JobSightings(store);
    this.outbox = new Outbox({
      store,
      client,
      timers,
      logger: part("outbox"),
      onUnauthorized,
      backoff,
      random,
    });
    this.executor = new Executor({
      agentId: identity.agentId,
      runtime: o.runtime,
      store,
      timers,
      ...(o.healthTimers && { healthTimers: o.healthTimers }),
      logger: part("executor"),
      newId: o.newId,
      onReported: () => {
        this.outbox.setInventory(this.inventory());
        this.outbox.wake();
        this.scheduling.kick();
      },
      resyncMs: timings.resyncMs,
      secrets: async (paths) => (await client.secrets(paths)).values,
    });
    this.lease = new LeaseKeeper({
      client,
      timers,
      logger: part("lease"),
      leaseMs: identity.settings.leaseMs,
      onChange: () => this.scheduling.kick(),
      onUnauthorized,
      random,
    });
    this.scheduling = new Scheduling({
      client,
      store,
      lease: this.lease,
      contact: o.contact,
      agentStaleMs: identity.settings.agentStaleMs,
      desired: () => this.poller.current,
      sightings: this.sightings,
      evaluateJobs: o.evaluateJobs,
      timers,
      logger: part("scheduling"),
      newId: o.newId,
      onQueued: () => this.outbox.wake(),
      // Only once the executor runs what the gateway confirmed (it ignores them before that).
      onAccepted: (launches, revision) => this.executor.launchAccepted(launches, revision),
      onUnauthorized,
      activeMs: timings.scheduleActiveMs,
      idleMs: timings.scheduleIdleMs,
      random,
    });
    this.poller = new Poller({
      client,
      store,
      identity,
      settings: identity.settings,
      timers,
      logger: part("poller"),
      onDesiredState: (doc) => {
        this.run(doc);
        // The scheduler looks once the new jobs' first sighting is noted (JobDefinition.since).
        void this.sightings
          .note(doc, timers.now())
          .catch((err) => logger.warn("could not note job sightings", { error: err }))
          .finally(() => this.scheduling.kick());
      },
      onSynced: () => {
        if (!this.running) this.run(this.poller.current);
      },
      onUnauthorized,
      intervalMs: timings.pollIntervalMs,
      waitSeconds: timings.longPollSeconds,
      backoff,
      random,
    });
  }

  async start(): Promise<void> {
    const { store, timers, timings, logger } = this.o;
    await this.sightings.load();
    await this.executor.load();
    this.outbox.setInventory(this.inventory());
    const stored = await store.desiredState();
    this.outbox.start();
    this.poller.start(stored);
    if (stored)
      this.offlineTimer = timers.setTimeout(() => {
        if (this.running) return;
        logger.warn("the gateway does not answer: running the last verified desired state", {
          revision: stored.revision,
        });
        this.run(this.poller.current);
      }, timings.offlineStartMs);
    this.lease.start();
    this.scheduling.start();
  }

  /**
   * Stops every loop, giving the lease up (unless the credential was refused), then tries to
   * deliver the outbox until the deadline. Workloads keep running.
   */
  async stop(options: { release: boolean; flushMs: number | undefined }): Promise<void> {
    if (this.offlineTimer !== undefined) this.o.timers.clearTimeout(this.offlineTimer);
    await this.scheduling.stop();
    await this.lease.stop(options.release);
    await this.poller.stop();
    await this.executor.stop();
    if (options.flushMs === undefined) await this.outbox.stop();
    else await this.outbox.flush(options.flushMs);
  }

  /** The node's inventory as reported now: totals, and what the tasks here leave free. */
  private inventory(): Inventory {
    const tasks = [...this.executor.tasks.values()].map((t) => ({ state: t.row.state, spec: t.spec }));
    return {
      ...this.o.inventory,
      runtime: this.o.runtime.kind,
      free: freeResources(this.o.inventory.resources, tasks),
    };
  }

  private run(doc: DesiredState | undefined): void {
    if (!doc) return;
    this.running = true;
    this.executor.apply(doc);
  }
}

/**
 * The lease holder's scheduling loop. Every agent runs it; a cycle does nothing unless this
 * agent holds the lease (on its own clock) and has the holder's view of the desired state at
 * its epoch. A cycle: fetch what every agent reported (`observed`), evaluate the jobs engine,
 * run the scheduler, post the assignments under the lease epoch (a STALE_EPOCH answer ends the
 * role at once) — the launches the gateway accepted go to `onAccepted` at once, so that this
 * agent starts its own without waiting for its next desired state — then report tasks of
 * vanished agents as LOST, run state changes and deployment steps. Cycles come on a
 * desired-state change, on a local task change, and at least every `activeMs` while anything
 * is under way (every `idleMs` otherwise).
 *
 * An agent counts as vanished only once this agent has been in uninterrupted contact with the
 * gateway for `agentStaleMs`: after a gateway outage (or this agent's own partition, or its
 * start) every other agent looks stale until it has reconnected, which a live one does within
 * agentStaleMs / 2 (poller.ts). A freshly elected holder follows the same rule — what counts is
 * how long it has heard the gateway, not how long it has held the lease.
 */
import type {
  AssignmentsRequest,
  AssignmentsResponse,
  DesiredState,
  StatusUpdate,
} from "../../gateway/contract/agent.js";
import type { Timers } from "../health/timers.js";
import type { JobsDecision, JobsTick } from "../jobs/types.js";
import { createRng } from "../scheduler/rng.js";
import type { SchedulerMemory } from "../scheduler/schedule.js";
import { Backoff } from "./backoff.js";
import { chunked, planCycle } from "./cycle-plan.js";
import { DeploymentReporter } from "./deployments.js";
import { PlanReader } from "./desired-plan.js";
import { type GatewayClient, isGatewayError } from "./gateway-client.js";
import type { GatewayContact } from "./gateway-contact.js";
import { JobRuns } from "./job-runs.js";
import type { JobSightings } from "./job-sightings.js";
import type { LeaseKeeper } from "./lease.js";
import type { Logger } from "./logger.js";
import { Loop } from "./loop.js";
import { clusterTasks, type LostTask, lostTaskUpdates, type PendingDecisions } from "./observed-tasks.js";
import type { LocalStore } from "./store.js";

const MEMORY_KEY = "scheduler-memory";
/** Own decisions not visible in the desired state after this long are dropped (the post may have failed). */
const PENDING_MS = 60_000;
/** Ended tasks without an assignment count for restart backoff this long. */
const HISTORY_MS = 3_600_000;

export interface SchedulingOptions {
  client: Pick<GatewayClient, "observed" | "assignments">;
  store: LocalStore;
  lease: Pick<LeaseKeeper, "isHolder" | "epoch" | "lost">;
  /** This agent's contact with the gateway (fed by the gateway client). */
  contact: Pick<GatewayContact, "uninterruptedMs">;
  /** The gateway's stale threshold (registration settings): the contact needed to judge agents. */
  agentStaleMs: number;
  /** The last verified desired state. */
  desired: () => DesiredState | undefined;
  sightings: JobSightings;
  evaluateJobs: (tick: JobsTick) => JobsDecision;
  timers: Timers;
  logger: Logger;
  newId: () => string;
  /** Updates were queued: deliver them. */
  onQueued: () => void;
  /** Launches the gateway accepted, as assignments of the desired state at `revision` will show them. */
  onAccepted?: (launches: DesiredState["assignments"], revision: number) => void;
  onUnauthorized: (error: Error) => void;
  activeMs?: number;
  idleMs?: number;
  random?: () => number;
}

export class Scheduling {
  private readonly loop: Loop;
  private readonly plans: PlanReader;
  private readonly deployments = new DeploymentReporter();
  private readonly runs: JobRuns;
  private readonly pending: PendingDecisions = { launches: new Map(), kills: new Map() };
  private readonly lostReported = new Set<string>();
  private readonly backoff = new Backoff({ baseMs: 500, capMs: 15_000 });
  private memory: SchedulerMemory | undefined;
  private memoryText = "";
  private heldEpoch = 0;
  private cycles = 0;
  /** The agents last logged as not judged yet (to log each change once). */
  private unconfirmedLogged = "";

  constructor(private readonly options: SchedulingOptions) {
    this.plans = new PlanReader(options.logger);
    this.runs = new JobRuns(options.store, options.logger, options.evaluateJobs, options.newId);
    this.loop = new Loop({
      name: "scheduling",
      timers: options.timers,
      logger: options.logger,
      cycle: (signal) =>
        this.cycle(signal).then(
          (delay) => {
            this.backoff.reset();
            return delay;
          },
          (err) => {
            if (isGatewayError(err, "unauthorized")) {
              options.onUnauthorized(err);
              return 60_000;
            }
            if (isGatewayError(err, "rejected") && err.reason === "NOT_LEASE_HOLDER") {
              options.lease.lost();
              return 0;
            }
            if (!isGatewayError(err, "unreachable") || signal.aborted) throw err;
            // The poller already says the gateway is away; retry without an error per second.
            const retryInMs = this.backoff.next();
            options.logger.warn("cannot schedule: the gateway does not answer", { error: err, retryInMs });
            return retryInMs;
          },
        ),
      errorDelayMs: () => options.activeMs ?? 1_000,
    });
  }

  start(): void {
    this.loop.start();
  }

  kick(): void {
    this.loop.kick();
  }

  async stop(): Promise<void> {
    await this.loop.stop();
  }

  /** Scheduling cycles completed as holder (tests, status). */
  get completedCycles(): number {
    return this.cycles;
  }

  private async becomeHolder(epoch: number): Promise<void> {
    this.heldEpoch = epoch;
    this.pending.launches.clear();
    this.pending.kills.clear();
    this.lostReported.clear();
    this.deployments.reset();
    await this.runs.load();
    const memory = await this.options.store.value(MEMORY_KEY);
    this.memory = memory && typeof memory === "object" ? (memory as SchedulerMemory) : undefined;
    this.memoryText = JSON.stringify(this.memory ?? null);
  }

  private async cycle(signal: AbortSignal): Promise<number> {
    const { lease, timers, logger } = this.options;
    const idleMs = this.options.idleMs ?? 5_000;
    const activeMs = this.options.activeMs ?? 1_000;
    if (!lease.isHolder()) {
      this.heldEpoch = 0;
      return idleMs;
    }
    const doc = this.options.desired();
    // Right after taking the lease the poller may not have the holder's view yet.
    if (!doc?.lease.holder || doc.lease.epoch !== lease.epoch) return Math.min(250, activeMs);
    if (this.heldEpoch !== lease.epoch) await this.becomeHolder(lease.epoch);

    const observed = await this.options.client.observed(signal);
    const now = timers.now();
    this.prunePending(doc, now);
    const plan = this.plans.read(doc);
    const jobs = plan.jobs.map((d) => {
      const since = this.options.sightings.sinceOf(d.job.id);
      return since === undefined ? d : { ...d, since };
    });
    const appIds = new Set(plan.apps.map((a) => a.app.id));
    const contactMs = this.options.contact.uninterruptedMs();
    const cluster = clusterTasks(doc, observed, this.pending, appIds, {
      livenessTrusted: contactMs >= this.options.agentStaleMs,
      historySince: now - HISTORY_MS,
    });
    const trustInMs = this.noteUnconfirmed(cluster.unconfirmed, contactMs);

    this.runs.mergeObserved(observed.jobRuns, cluster, jobs);
    this.runs.syncAttempts(cluster);
    const { decision, updates } = this.runs.decide(now, jobs, doc.runRequests ?? []);
    await this.runs.persist(updates, now);
    if (updates.length > 0) this.options.onQueued();

    const planned = planCycle({
      doc,
      observed,
      plan: { apps: plan.apps, jobs },
      cluster,
      jobs: decision,
      runOf: (id) => this.runs.get(id),
      memory: this.memory,
      pendingKills: new Set(this.pending.kills.keys()),
      now,
      rng: createRng(Math.floor((this.options.random ?? Math.random)() * 2 ** 32)),
      epoch: lease.epoch,
    });
    if (!lease.isHolder()) return 0;
    const posted = await this.post(planned.request, signal);
    if (!posted) return idleMs;
    for (const l of planned.launched)
      this.pending.launches.set(l.taskId, { agentId: l.agentId, spec: l.spec, at: now });
    for (const id of planned.request.kill) this.pending.kills.set(id, now);
    this.runs.recordLaunches(planned.attempts, now);

    const reports: StatusUpdate[] = [
      ...this.lostUpdates(cluster.lost, now),
      ...this.deployments.updates(planned.result, now, this.options.newId),
    ];
    await this.runs.persist(reports, now);
    if (reports.length > 0) this.options.onQueued();
    await this.saveMemory(planned.result.memory);
    this.cycles++;
    if (planned.request.launch.length + planned.request.kill.length > 0)
      logger.info("scheduled", {
        launch: planned.request.launch.length,
        kill: planned.request.kill.length,
        forget: planned.request.forget.length,
        epoch: lease.epoch,
      });

    const busy =
      planned.request.launch.length > 0 ||
      planned.request.kill.length > 0 ||
      planned.result.pending.length > 0 ||
      planned.result.deployments.some((d) => d.phase !== "steady") ||
      this.pending.launches.size > 0 ||
      this.runs.busy;
    const wake = decision.wakeAt === undefined ? idleMs : Math.max(0, decision.wakeAt - now);
    return Math.min(busy ? activeMs : idleMs, wake, trustInMs);
  }

  /**
   * Agents that look stale or lost while this agent's contact is too short to believe it: logs
   * each new set once, and returns how long until the verdicts can be trusted (Infinity if none wait).
   */
  private noteUnconfirmed(unconfirmed: ReadonlySet<string>, contactMs: number): number {
    const key = [...unconfirmed].sort().join(",");
    if (key !== this.unconfirmedLogged && key !== "")
      this.options.logger.info(
        "agents look stale after a break in contact; their tasks stay as reported for now",
        {
          agents: [...unconfirmed],
          contactMs,
          judgeInMs: this.options.agentStaleMs - contactMs,
        },
      );
    this.unconfirmedLogged = key;
    return key === "" ? Number.POSITIVE_INFINITY : Math.max(0, this.options.agentStaleMs - contactMs);
  }

  /** Posts the decisions in chunks the gateway accepts; false when the lease turned out stale. */
  private async post(request: AssignmentsRequest, signal: AbortSignal): Promise<boolean> {
    for (const chunk of chunked(request)) {
      let answer: AssignmentsResponse;
      try {
        answer = await this.options.client.assignments(chunk, signal);
      } catch (err) {
        const notHolder = isGatewayError(err, "rejected") && err.reason === "NOT_LEASE_HOLDER";
        if (!isGatewayError(err, "stale-epoch") && !notHolder) throw err;
        this.options.logger.warn("the gateway refused this agent's assignments: lease lost", { error: err });
        this.options.lease.lost();
        return false;
      }
      const accepted = new Set(answer.launched);
      const launches = chunk.launch
        .filter((l) => accepted.has(l.taskId))
        .map((l) => ({ ...l, kill: false, epoch: chunk.epoch }));
      if (launches.length > 0) this.options.onAccepted?.(launches, answer.revision);
    }
    return true;
  }

  /** Tasks of vanished agents, reported LOST once each (the holder speaks for the silent agent). */
  private lostUpdates(lost: LostTask[], now: number): StatusUpdate[] {
    const fresh = lost.filter((t) => !this.lostReported.has(t.taskId));
    for (const t of fresh) {
      this.lostReported.add(t.taskId);
      this.options.logger.warn("task lost with its agent", { taskId: t.taskId, reason: t.message });
    }
    return lostTaskUpdates(fresh, now, this.options.newId);
  }

  private prunePending(doc: DesiredState, now: number): void {
    const assigned = new Map(doc.assignments.map((a) => [a.taskId, a]));
    for (const [id, p] of this.pending.launches)
      if (assigned.has(id) || now - p.at > PENDING_MS) this.pending.launches.delete(id);
    for (const [id, at] of this.pending.kills)
      if (assigned.get(id)?.kill || now - at > PENDING_MS) this.pending.kills.delete(id);
  }

  private async saveMemory(memory: SchedulerMemory): Promise<void> {
    this.memory = memory;
    const text = JSON.stringify(memory);
    if (text === this.memoryText) return;
    this.memoryText = text;
    await this.options.store.setValue(MEMORY_KEY, memory);
  }
}

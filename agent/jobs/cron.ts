/**
 * Cron schedules, without state of their own: the last tick a schedule handled is the newest
 * `cron:<scheduleId>:<tick>` run of its job, so a restarted agent or a new lease holder picks up
 * exactly where the runs say. Per schedule and evaluation only the newest tick at or before now
 * is considered (as Kubernetes CronJobs do): a tick more than `startingDeadlineSeconds` old when
 * noticed is skipped, under FORBID a tick is skipped when a run of the job was active at that
 * instant, and ticks an outage passed over are superseded by the newest — a restart shorter than
 * the schedule's interval skips nothing, a long one does not start a burst of runs.
 */
import { Cron } from "croner";
import type { Schedule } from "../../universe/models/job.js";
import { type DecisionBuilder, endOf, type RunBook, triggerOf } from "./book.js";
import { cronRunId, safePart } from "./ids.js";
import type { JobDefinition, RunRecord } from "./types.js";

const MAX_CACHED = 512;
const cache = new Map<string, Cron>();

/** A paused croner instance (no timer: it only answers questions), shared by expression and zone. */
function cronFor(expression: string, timezone: string): Cron {
  const key = `${timezone}\n${expression}`;
  let cron = cache.get(key);
  if (!cron) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cron = new Cron(expression, { timezone, paused: true, mode: "5-part" });
    cache.set(key, cron);
  }
  return cron;
}

/** The newest tick at or before `now` and the first after it. */
export function ticksAround(schedule: Schedule, now: number): { previous?: number; next?: number } {
  const cron = cronFor(schedule.cron, schedule.timezone || "UTC");
  return {
    // previousRuns excludes its reference instant; +1 ms makes a tick at exactly `now` count.
    previous: cron.previousRuns(1, new Date(now + 1))[0]?.getTime(),
    next: cron.nextRun(new Date(now))?.getTime(),
  };
}

/** The newest tick of `schedule` that already has a run. */
function lastTick(book: RunBook, jobId: string, scheduleId: string): number | undefined {
  const safe = safePart(scheduleId);
  let last: number | undefined;
  for (const run of book.ofJob(jobId)) {
    const t = triggerOf(run);
    if (t.kind !== "cron" || (t.scheduleId !== scheduleId && t.scheduleId !== safe)) continue;
    if (last === undefined || t.tickMs > last) last = t.tickMs;
  }
  return last;
}

const activeAt = (run: RunRecord, at: number) => {
  const end = endOf(run);
  return run.createdAt <= at && (end === undefined || end > at);
};

/** Creates the run of each enabled schedule's due tick, or says why the tick is skipped. */
export function planSchedules(def: JobDefinition, out: DecisionBuilder): void {
  const { job } = def;
  const schedules = [...job.schedules].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const s of schedules) {
    if (s.enabled === false) continue;
    let ticks: ReturnType<typeof ticksAround>;
    try {
      ticks = ticksAround(s, out.now);
    } catch (e) {
      out.skip({
        key: `${job.id}:${s.id}:invalid`,
        jobId: job.id,
        scheduleId: s.id,
        reason: `schedule ${s.id}: cron "${s.cron}" in ${s.timezone} cannot be read: ${(e as Error).message}`,
      });
      continue;
    }
    out.wake(ticks.next);
    const tick = ticks.previous;
    if (tick === undefined) continue;
    const last = lastTick(out.book, job.id, s.id);
    if ((last !== undefined && tick <= last) || (def.since !== undefined && tick < def.since)) continue;

    const at = new Date(tick).toISOString();
    const skipped = (kind: string, reason: string) =>
      out.skip({
        key: `${job.id}:${s.id}:${tick}:${kind}`,
        jobId: job.id,
        scheduleId: s.id,
        tickAt: tick,
        reason,
      });
    const lateMs = out.now - tick;
    if (lateMs > s.startingDeadlineSeconds * 1000) {
      skipped(
        "deadline",
        `schedule ${s.id}: the tick of ${at} was noticed ${Math.round(lateMs / 1000)}s late, past its startingDeadlineSeconds (${s.startingDeadlineSeconds})`,
      );
      continue;
    }
    if (s.concurrencyPolicy === "FORBID") {
      const blocker = out.book.ofJob(job.id).find((r) => activeAt(r, tick));
      if (blocker) {
        skipped(
          "forbid",
          `schedule ${s.id}: the tick of ${at} was skipped because run ${blocker.runId} was active (concurrencyPolicy FORBID)`,
        );
        continue;
      }
    }
    const runId = cronRunId(job.id, s.id, tick);
    if (out.book.has(runId)) continue;
    out.createRun({
      runId,
      jobId: job.id,
      trigger: `cron:${s.id}:${tick}`,
      message: `schedule ${s.id}: tick of ${at} (${s.cron}, ${s.timezone})`,
    });
  }
}

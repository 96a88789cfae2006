/**
 * Run ids, attempt task ids and triggers. A run's id is derived from its trigger, so deciding
 * the same trigger twice — after a restart, or on a new lease holder — names the same run and
 * the run book (and the gateway's assignments, idempotent by task id) start it at most once.
 * Every id is task-id safe: letters, digits, `.`, `_` and `-` only.
 *
 * | trigger                      | run id                                  |
 * |------------------------------|-----------------------------------------|
 * | `cron:<scheduleId>:<tickMs>` | `<jobId>.cron-<scheduleId>-<tickMs>`    |
 * | `request:<requestId>`        | `<jobId>.req-<requestId>`               |
 * | `after:<parentRunId>`        | `<jobId>.after-<parentRunId>`           |
 * | `after:<a>,<b>` (fan-in)     | `<jobId>.after-h<hash of "a,b">`        |
 * | `not-run:<failedRunId>`      | `<jobId>.notrun-<failedRunId>`          |
 *
 * Attempt task ids are `<runId>.<n>` (n from 1). Parts that are not safe, and ids that would grow
 * past MAX_RUN_ID (long pipelines nest parent ids), are replaced by a hash.
 */

/** Longest run id written readably; leaves room for `.<attempt>` within the protocol's 200. */
export const MAX_RUN_ID = 180;

const SAFE = /^[A-Za-z0-9_.-]+$/;

/** 64-bit FNV-1a as 16 hex digits (two 32-bit lanes with different offsets); stable everywhere. */
export function hashText(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193) >>> 0;
  }
  return a.toString(16).padStart(8, "0") + b.toString(16).padStart(8, "0");
}

/** `part` when it is task-id safe and short; otherwise a readable prefix and a hash. */
export function safePart(part: string): string {
  if (SAFE.test(part) && part.length <= 64) return part;
  return `${part.replace(/[^A-Za-z0-9_.-]/g, "_").slice(0, 24)}_${hashText(part).slice(0, 8)}`;
}

function derived(jobId: string, kind: string, readable: string): string {
  const id = `${jobId}.${kind}-${readable}`;
  return id.length <= MAX_RUN_ID ? id : `${jobId}.${kind}-h${hashText(readable)}`;
}

export const cronRunId = (jobId: string, scheduleId: string, tickMs: number): string =>
  `${jobId}.cron-${safePart(scheduleId)}-${tickMs}`;

/** The run of an operator's request; the gateway answers `POST …/jobs/{id}/runs` with it. */
export const requestRunId = (jobId: string, requestId: string): string =>
  `${jobId}.req-${safePart(requestId)}`;

export const afterRunId = (jobId: string, parentRunIds: readonly string[]): string =>
  parentRunIds.length === 1
    ? derived(jobId, "after", parentRunIds[0]!)
    : `${jobId}.after-h${hashText(parentRunIds.join(","))}`;

export const notRunId = (jobId: string, failedRunId: string): string => derived(jobId, "notrun", failedRunId);

export const attemptTaskId = (runId: string, attempt: number): string => `${runId}.${attempt}`;

/** The attempt number of `taskId` when it is `<runId>.<n>`. */
export function attemptNumber(runId: string, taskId: string): number | undefined {
  if (!taskId.startsWith(`${runId}.`)) return undefined;
  const rest = taskId.slice(runId.length + 1);
  return /^[1-9]\d{0,8}$/.test(rest) ? Number(rest) : undefined;
}

export type Trigger =
  | { kind: "cron"; scheduleId: string; tickMs: number }
  | { kind: "request"; requestId: string }
  | { kind: "after"; parentRunIds: string[] }
  | { kind: "not-run"; failedRunId: string | undefined }
  | { kind: "unknown" };

export function parseTrigger(trigger: string): Trigger {
  const cron = /^cron:(.+):(\d+)$/.exec(trigger);
  if (cron) return { kind: "cron", scheduleId: cron[1]!, tickMs: Number(cron[2]) };
  if (trigger.startsWith("request:")) return { kind: "request", requestId: trigger.slice(8) };
  if (trigger.startsWith("after:"))
    return { kind: "after", parentRunIds: trigger.slice(6).split(",").filter(Boolean) };
  if (trigger.startsWith("not-run:")) return { kind: "not-run", failedRunId: trigger.slice(8) || undefined };
  return { kind: "unknown" };
}

/**
 * The trigger a run id was derived from, as far as the id tells it (a hashed fan-in or long id
 * keeps only its kind); undefined when the id is not one of the engine's. For rebuilding run
 * records from rows reported to the gateway, which keep ids but not triggers.
 *
 * @example triggerFromRunId("etl.load", "etl.load.cron-nightly-1764036000000") // "cron:nightly:1764036000000"
 */
export function triggerFromRunId(jobId: string, runId: string): string | undefined {
  if (!runId.startsWith(`${jobId}.`)) return undefined;
  const rest = runId.slice(jobId.length + 1);
  const cron = /^cron-(.+)-(\d+)$/.exec(rest);
  if (cron) return `cron:${cron[1]}:${cron[2]}`;
  if (rest.startsWith("req-")) return `request:${rest.slice(4)}`;
  const hashed = /^(after|notrun)-h[0-9a-f]{16}$/.exec(rest);
  if (hashed) return hashed[1] === "after" ? "after:" : "not-run:";
  if (rest.startsWith("after-")) return `after:${rest.slice(6)}`;
  if (rest.startsWith("notrun-")) return `not-run:${rest.slice(7)}`;
  return undefined;
}

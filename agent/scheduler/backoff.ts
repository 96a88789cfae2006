/**
 * Restart backoff (Marathon): each FAILED/FINISHED/ERROR task of an app's current version
 * multiplies the delay before its next launch: delay = backoffSeconds × backoffFactor^(failures
 * − 1), capped at maxLaunchDelaySeconds. A new app version starts from zero. Status updates
 * arrive at least once, so failures are counted idempotently: only tasks that ended after the
 * last one counted (by end time, then id) are new.
 */
import type { App } from "../../universe/models/app.js";
import { isFailure, type ObservedTask } from "./tasks.js";

/** Backoff state of one app, carried from cycle to cycle. */
export interface BackoffRecord {
  version: string;
  failures: number;
  /** Epoch ms the last counted failure ended. */
  lastFailureAt: number;
  /** Id of the last counted failed task (breaks ties of `lastFailureAt`). */
  lastFailureId: string;
}

/** The backoff record after looking at the app's tasks. */
export function updateBackoff(
  app: App,
  version: string,
  previous: BackoffRecord | undefined,
  tasks: readonly ObservedTask[],
): BackoffRecord {
  let rec: BackoffRecord =
    previous && previous.version === version
      ? { ...previous }
      : { version, failures: 0, lastFailureAt: 0, lastFailureId: "" };
  const fresh = tasks
    .filter((t) => t.appId === app.id && t.version === version && isFailure(t.state))
    .map((t) => ({ at: t.endedAt ?? t.startedAt, id: t.id }))
    .filter((f) => f.at > rec.lastFailureAt || (f.at === rec.lastFailureAt && f.id > rec.lastFailureId))
    .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  for (const f of fresh)
    rec = { ...rec, failures: rec.failures + 1, lastFailureAt: f.at, lastFailureId: f.id };
  return rec;
}

/** Delay before the next launch after `failures` failures, in ms. */
export function launchDelayMs(app: App, failures: number): number {
  if (failures <= 0) return 0;
  const seconds = app.backoffSeconds * app.backoffFactor ** (failures - 1);
  return Math.min(seconds, app.maxLaunchDelaySeconds) * 1000;
}

/** Epoch ms before which the app may not launch (0 when it may launch now). */
export function backoffUntil(app: App, rec: BackoffRecord): number {
  return rec.failures === 0 ? 0 : rec.lastFailureAt + launchDelayMs(app, rec.failures);
}

/**
 * The deployment rules for one app, applied afresh every cycle to what is really running (so
 * the planner reconciles rather than replays a script):
 *
 * - Tasks of the desired version are *current*, others *old*. Without old tasks the app only
 *   scales: launch the missing instances, kill extras by `killSelection`.
 * - With old tasks it rolls: minHealthy = ceil(instances × minimumHealthCapacity), maxCapacity
 *   = floor(instances × (1 + maximumOverCapacity)). Old tasks that are not healthy are killed at
 *   once; healthy old tasks are killed while the healthy count stays ≥ minHealthy (so one goes
 *   for each new instance that turns healthy); new instances start while active + killing tasks
 *   stay ≤ maxCapacity.
 * - If the strategy leaves no room (maxCapacity ≤ minHealthy), it replaces one instance at a
 *   time, dipping below minHealthy rather than above maxCapacity (capacity protects singletons
 *   and resources; Marathon rejects such strategies outright).
 * - Tasks that health checks failed are killed and replaced, at most max(1, instances −
 *   minHealthy) at a time counting tasks already being killed, so an overloaded checker cannot
 *   mass-kill an app.
 */
import type { App } from "../../universe/models/app.js";
import { isActive, isHealthy, type ObservedTask } from "./tasks.js";

/** A task to kill and why. */
export interface TaskKill {
  taskId: string;
  appId?: string;
  reason: string;
}

/** Where an app's deployment stands. */
export interface DeploymentStatus {
  appId: string;
  version: string;
  phase: "steady" | "scaling" | "upgrading";
  instances: number;
  minHealthy: number;
  maxCapacity: number;
  /** Healthy tasks of any version. */
  healthy: number;
  /** Active plus killing tasks of any version. */
  total: number;
  oldTasks: number;
  currentTasks: number;
  /** The strategy left no room, so minHealthy is given up for one instance at a time. */
  noRoom: boolean;
}

/** One cycle's decisions for one app. */
export interface AppPlan {
  /** Instances to launch now (0 when launches are held). */
  launch: number;
  /** Instances it would launch if nothing held it. */
  wanted: number;
  kills: TaskKill[];
  status: DeploymentStatus;
}

/** Rounds away binary noise before ceil/floor (10 × 0.7 must be 7, not 7.000000000000001). */
const round9 = (x: number) => Math.round(x * 1e9) / 1e9;

/** minHealthy and maxCapacity of an app's upgrade strategy. */
export function upgradeBounds(app: App): { minHealthy: number; maxCapacity: number } {
  const { minimumHealthCapacity, maximumOverCapacity } = app.upgradeStrategy;
  return {
    minHealthy: Math.ceil(round9(app.instances * minimumHealthCapacity)),
    maxCapacity: Math.floor(round9(app.instances * (1 + maximumOverCapacity))),
  };
}

/**
 * Decides launches and kills for one app from its tasks (terminal ones are ignored).
 * `launchesAllowed` is false while backoff or dependencies hold the app; healthy old tasks
 * are then kept, since nothing could replace them.
 */
export function planApp(
  app: App,
  version: string,
  tasks: readonly ObservedTask[],
  launchesAllowed = true,
): AppPlan {
  const n = app.instances;
  const { minHealthy, maxCapacity } = upgradeBounds(app);
  const healthy = (t: ObservedTask) => isHealthy(t, app);
  const active = tasks.filter((t) => isActive(t.state));
  const killingTasks = tasks.filter((t) => t.state === "KILLING");
  const killing = killingTasks.length;
  const kills: TaskKill[] = [];
  const leaving = new Set<string>();
  const kill = (t: ObservedTask, reason: string) => {
    kills.push({ taskId: t.id, appId: app.id, reason });
    leaving.add(t.id);
  };

  if (app.healthChecks.some((h) => h.maxConsecutiveFailures > 0)) {
    let budget = Math.max(1, n - minHealthy) - killing;
    for (const t of killOrder(
      app,
      active.filter((t) => t.state === "RUNNING" && t.healthy === false),
    )) {
      if (budget-- <= 0) break;
      kill(t, "health checks failed maxConsecutiveFailures times in a row");
    }
  }
  const current = active.filter((t) => t.version === version && !leaving.has(t.id));
  const old = active.filter((t) => t.version !== version && !leaving.has(t.id));
  for (const t of killOrder(app, current).slice(0, Math.max(0, current.length - n))) {
    kill(t, `scale down to ${n} instances (${app.killSelection})`);
  }
  const kept = current.filter((t) => !leaving.has(t.id));
  let wanted = Math.max(0, n - kept.length);
  let noRoom = false;
  let h = kept.filter(healthy).length + old.filter(healthy).length;

  // Old tasks still dying keep the upgrade (and its capacity bound) going until they are gone.
  const upgrading = old.length > 0 || killingTasks.some((t) => t.version !== version);
  if (upgrading) {
    const before = kills.length;
    for (const t of killOrder(app, old)) {
      if (!healthy(t)) kill(t, `replaced by version ${version} (not healthy)`);
      else if (launchesAllowed && h - 1 >= minHealthy) {
        kill(t, `replaced by version ${version}`);
        h--;
      }
    }
    // Tasks killed in this cycle keep their place until they are gone.
    const total = active.length + killing;
    wanted = Math.max(0, Math.min(n - kept.length, maxCapacity - total));
    const stuck =
      launchesAllowed &&
      wanted === 0 &&
      kills.length === before &&
      killing === 0 &&
      kept.length < n &&
      kept.every(healthy);
    const next = killOrder(app, old).find((t) => !leaving.has(t.id));
    if (stuck && next) {
      kill(next, `replaced by version ${version} (upgradeStrategy leaves no room: one at a time)`);
      noRoom = true;
      h--;
    }
  }
  const phase = upgrading ? "upgrading" : wanted > 0 || kills.length > 0 ? "scaling" : "steady";
  return {
    launch: launchesAllowed ? wanted : 0,
    wanted,
    kills,
    status: {
      appId: app.id,
      version,
      phase,
      instances: n,
      minHealthy,
      maxCapacity,
      healthy: h,
      total: active.length + killing,
      oldTasks: old.length,
      currentTasks: kept.length,
      noRoom,
    },
  };
}

/**
 * The order in which tasks are killed: not yet running first, then not healthy, then by
 * `killSelection` (YOUNGEST_FIRST: latest start first), then by id.
 */
export function killOrder(app: App, tasks: readonly ObservedTask[]): ObservedTask[] {
  const rank = (t: ObservedTask) => (t.state !== "RUNNING" ? 0 : isHealthy(t, app) ? 2 : 1);
  const sign = app.killSelection === "OLDEST_FIRST" ? 1 : -1;
  return [...tasks].sort(
    (a, b) =>
      rank(a) - rank(b) || sign * (a.startedAt - b.startedAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

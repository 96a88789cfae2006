/**
 * The deployment planner: a pure function of (desired apps, observed tasks, now, backoff
 * state) to actions — launch n instances of app X at version V, kill task T because … — that
 * the daemon calls every cycle. It applies the per-app rules of `app-plan.ts` in dependency
 * order, holds launches for restart backoff and unready dependencies (saying so), and kills
 * the tasks of apps that left the desired state.
 */
import type { App } from "../../universe/models/app.js";
import { type AppPlan, type DeploymentStatus, planApp, type TaskKill } from "./app-plan.js";
import { type BackoffRecord, backoffUntil, updateBackoff } from "./backoff.js";
import { dependencyOrder, readiness, resolveDependency } from "./dependencies.js";
import { isActive, type ObservedTask } from "./tasks.js";

/** An app of the desired state with the version id of its configuration (see `appVersionId`). */
export interface DesiredApp {
  app: App;
  version: string;
}

/** Launch `count` instances of an app version. */
export interface AppLaunchRequest {
  app: App;
  version: string;
  count: number;
  /** Length of the app's longest dependency chain (0 = none); placement goes shallow first. */
  depth: number;
}

/** Why an app's launches wait. */
export type AppHold =
  | { kind: "backoff"; until: number; failures: number }
  | { kind: "dependency"; on: string; healthy: number; needed: number; known: boolean }
  | { kind: "cycle"; cycle: string[] };

/** An app whose launches are held, with what it would launch. */
export interface HeldApp {
  app: App;
  version: string;
  wanted: number;
  holds: AppHold[];
}

export interface PlanInput {
  apps: readonly DesiredApp[];
  tasks: readonly ObservedTask[];
  /** Epoch ms. */
  now: number;
  /** Backoff records from the previous cycle, by app id. */
  backoff?: Readonly<Record<string, BackoffRecord>>;
}

export interface DeploymentPlan {
  launches: AppLaunchRequest[];
  kills: TaskKill[];
  held: HeldApp[];
  deployments: DeploymentStatus[];
  /** Backoff records for the next cycle. */
  backoff: Record<string, BackoffRecord>;
}

/**
 * Plans one cycle.
 *
 * @example
 * const plan = planDeployments({ apps: [{ app, version: appVersionId(app) }], tasks, now: Date.now() });
 * // plan.launches → [{ app, version, count: 3, depth: 0 }]
 */
export function planDeployments(input: PlanInput): DeploymentPlan {
  const { now } = input;
  const tasksByApp = new Map<string, ObservedTask[]>();
  for (const t of input.tasks) {
    if (t.appId === undefined) continue;
    const list = tasksByApp.get(t.appId);
    if (list) list.push(t);
    else tasksByApp.set(t.appId, [t]);
  }
  const desired = new Map(input.apps.map((d) => [d.app.id, d]));
  const { order, cycles } = dependencyOrder(input.apps.map((d) => d.app));
  const out: DeploymentPlan = { launches: [], kills: [], held: [], deployments: [], backoff: {} };

  for (const { app, depth } of order) {
    const { version } = desired.get(app.id)!;
    const tasks = tasksByApp.get(app.id) ?? [];
    const rec = updateBackoff(app, version, input.backoff?.[app.id], tasks);
    if (rec.failures > 0) out.backoff[app.id] = rec;
    const holds: AppHold[] = [];
    const until = backoffUntil(app, rec);
    if (until > now) holds.push({ kind: "backoff", until, failures: rec.failures });
    const cycle = cycles.get(app.id);
    if (cycle) holds.push({ kind: "cycle", cycle });
    else {
      for (const dep of app.dependencies) {
        const depId = resolveDependency(app.id, dep);
        const depApp = desired.get(depId)?.app;
        const r = depApp
          ? readiness(depApp, tasksByApp.get(depId) ?? [])
          : { ready: false, healthy: 0, needed: 1 };
        if (!r.ready)
          holds.push({
            kind: "dependency",
            on: depId,
            healthy: r.healthy,
            needed: r.needed,
            known: !!depApp,
          });
      }
    }
    const plan: AppPlan = planApp(app, version, tasks, holds.length === 0);
    out.kills.push(...plan.kills);
    out.deployments.push(plan.status);
    if (plan.launch > 0) out.launches.push({ app, version, count: plan.launch, depth });
    if (holds.length > 0 && plan.wanted > 0) out.held.push({ app, version, wanted: plan.wanted, holds });
  }

  for (const [appId, tasks] of tasksByApp) {
    if (desired.has(appId)) continue;
    for (const t of tasks) {
      if (isActive(t.state))
        out.kills.push({ taskId: t.id, appId, reason: `app ${appId} is no longer in the desired state` });
    }
  }
  return out;
}

/**
 * Ordering of apps by `dependencies`. Rule: an app launches new instances only while every
 * dependency is *ready* — the dependency is in the desired state and either has 0 instances
 * or has at least max(1, ceil(instances × minimumHealthCapacity)) healthy tasks (any version,
 * so a dependency in the middle of its own rolling upgrade still counts). Running instances
 * are never killed because a dependency became unready; only launches wait. Dependency ids are
 * Marathon paths: absolute (`/prod/db`) or relative to the app's group (`db`, `../shared/db`).
 */
import type { App } from "../../universe/models/app.js";
import { isHealthy, type ObservedTask } from "./tasks.js";

/** An app's readiness as a dependency. */
export interface Readiness {
  ready: boolean;
  healthy: number;
  needed: number;
}

/** Resolves a dependency path against the group of the app that names it. */
export function resolveDependency(appId: string, dependency: string): string {
  const base = dependency.startsWith("/") ? [] : appId.split("/").filter(Boolean).slice(0, -1);
  for (const seg of dependency.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") base.pop();
    else base.push(seg);
  }
  return `/${base.join("/")}`;
}

/** Whether an app is ready to be depended on, given its tasks. */
export function readiness(app: App, tasks: readonly ObservedTask[]): Readiness {
  if (app.instances === 0) return { ready: true, healthy: 0, needed: 0 };
  const needed = Math.max(1, Math.ceil(app.instances * app.upgradeStrategy.minimumHealthCapacity));
  const healthy = tasks.filter((t) => t.appId === app.id && isHealthy(t, app)).length;
  return { ready: healthy >= needed, healthy, needed };
}

/**
 * Apps in dependency order (dependencies first, then by id), each with its depth (0 = no
 * dependencies), and the cycles found (each as the path that closes it). Unknown
 * dependencies do not affect the order; the planner holds their dependents.
 */
export function dependencyOrder(apps: readonly App[]): {
  order: { app: App; depth: number }[];
  cycles: Map<string, string[]>;
} {
  const byId = new Map(apps.map((a) => [a.id, a]));
  const depth = new Map<string, number>();
  const cycles = new Map<string, string[]>();
  const visiting: string[] = [];
  const visit = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    const at = visiting.indexOf(id);
    if (at >= 0) {
      const cycle = [...visiting.slice(at), id];
      for (const member of cycle) cycles.set(member, cycle);
      return 0;
    }
    const app = byId.get(id);
    if (!app) return 0;
    visiting.push(id);
    let d = 0;
    for (const dep of app.dependencies) {
      const depId = resolveDependency(id, dep);
      if (byId.has(depId)) d = Math.max(d, visit(depId) + 1);
    }
    visiting.pop();
    depth.set(id, d);
    return d;
  };
  for (const a of apps) visit(a.id);
  const order = [...apps]
    .map((app) => ({ app, depth: depth.get(app.id) ?? 0 }))
    .sort((a, b) => a.depth - b.depth || (a.app.id < b.app.id ? -1 : a.app.id > b.app.id ? 1 : 0));
  return { order, cycles };
}

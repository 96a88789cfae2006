/**
 * App ids on a cluster. Marathon treats `web` and `/web` as one app, so installs are keyed by
 * the canonical absolute form; and since every install's apps and jobs end up in one desired
 * state, no two installs may render an app or job with the same id.
 */
import type { InstallPlan } from "../../../universe/models/plan.js";
import { resolveAppPath } from "../../../universe/render/group.js";
import { conflict } from "../../errors.js";

/** `web` → `/web`; an id Marathon would reject is kept as written (the plan parser reports it). */
export function canonicalAppId(id: string): string {
  try {
    return resolveAppPath("/", id);
  } catch {
    return id;
  }
}

/**
 * The app id an install gets when none was asked for: the id of its one app, or the package
 * name when the plan has several apps, any job, or nothing at all.
 */
export function defaultAppId(plan: InstallPlan): string {
  const [only] = plan.apps;
  if (only && plan.apps.length === 1 && plan.jobs.length === 0) return canonicalAppId(only.id);
  return `/${plan.package.name}`;
}

/** What an install occupies in the cluster's desired state. */
export interface Occupant {
  appId: string;
  plan: InstallPlan;
}

const idsOf = (plan: InstallPlan) => [
  ...plan.apps.map((a) => ({ kind: "app", id: canonicalAppId(a.id) })),
  ...plan.jobs.map((j) => ({ kind: "job", id: j.id })),
];

/**
 * 409 APP_ID_IN_USE when `plan` renders an app or job whose id another install's plan already
 * has. `others` must not include the install being changed.
 */
export function assertNoIdClash(appId: string, plan: InstallPlan, others: readonly Occupant[]): void {
  const taken = new Map<string, string>();
  for (const other of others) for (const x of idsOf(other.plan)) taken.set(`${x.kind}:${x.id}`, other.appId);
  for (const x of idsOf(plan)) {
    const owner = taken.get(`${x.kind}:${x.id}`);
    if (owner !== undefined) {
      // App ids follow the install's appId, job ids come from the package itself: say which.
      const fix =
        x.kind === "job"
          ? `job ids come from the package, so uninstall ${owner} first`
          : "install it under another appId";
      throw conflict(
        `${appId} would run ${x.kind} ${x.id}, which install ${owner} already runs on this cluster; ${fix}`,
        "APP_ID_IN_USE",
        { appId, [x.kind]: x.id, usedBy: owner },
      );
    }
  }
}

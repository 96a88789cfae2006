/**
 * Restarting a service (operator): the label FLOTILLA_RESTART=<ms> set on the app in a new
 * install revision (reason `restart`). Labels are part of an app's version, so the agents roll
 * every instance over to the "new" version under the app's upgradeStrategy, healthy first —
 * Marathon's restart, which was a deployment too.
 */
import { requireUser } from "../../auth/principal.js";
import { RESTART_LABEL, type ServiceChange } from "../../contract/operations.js";
import type { Ctx } from "../../env.js";
import { getClusterFor } from "../clusters/find.js";
import { canonicalAppId } from "../installs/app-ids.js";
import { findPlanApp, writeAppChange } from "./app-change.js";

/** `POST /v1/clusters/{cluster}/services/restart`. */
export async function restartService(
  ctx: Ctx,
  clusterRef: string,
  appIdInput: string,
): Promise<ServiceChange> {
  const user = requireUser(ctx.principal, "operator");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const found = await findPlanApp(db, cluster, appIdInput);
  const appId = canonicalAppId(found.app.id);
  const labels = found.app.labels ?? {};
  // Two restarts within one millisecond must still make two versions.
  const previous = Number(labels[RESTART_LABEL]);
  const value = String(Number.isFinite(previous) && previous >= clock.now() ? previous + 1 : clock.now());
  const instances = found.app.instances ?? 1;
  const written = await writeAppChange(
    ctx,
    user,
    cluster,
    found,
    { ...found.app, labels: { ...labels, [RESTART_LABEL]: value } },
    "restart",
    { action: "service.restart", target: found.current.install.id, details: { app: appId, label: value } },
  );
  return {
    appId,
    action: "restart",
    changed: true,
    previousInstances: instances,
    instances,
    restartLabel: value,
    ...written,
  };
}

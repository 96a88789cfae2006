/**
 * Scaling a service (operator): the app's `instances` in a new install revision (reason
 * `scale`). A change of instances only is a scale for the agents, not a rolling upgrade. Asking
 * for the count the app already has writes nothing and says so (`changed: false`).
 */
import { requireUser } from "../../auth/principal.js";
import type { ScaleInput, ServiceChange } from "../../contract/operations.js";
import type { Ctx } from "../../env.js";
import { getClusterFor } from "../clusters/find.js";
import { canonicalAppId } from "../installs/app-ids.js";
import { findPlanApp, writeAppChange } from "./app-change.js";

/** `POST /v1/clusters/{cluster}/services/scale`. */
export async function scaleService(ctx: Ctx, clusterRef: string, input: ScaleInput): Promise<ServiceChange> {
  const user = requireUser(ctx.principal, "operator");
  const { db } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const found = await findPlanApp(db, cluster, input.appId);
  const appId = canonicalAppId(found.app.id);
  const previous = found.app.instances ?? 1;
  const base = {
    appId,
    action: "scale" as const,
    previousInstances: previous,
    instances: input.instances,
    restartLabel: null,
  };
  if (previous === input.instances) {
    const { install } = found.current;
    return {
      ...base,
      changed: false,
      install: { id: install.id, appId: install.appId, revision: install.currentRevision },
      desiredRevision: cluster.desiredRevision,
    };
  }
  const written = await writeAppChange(
    ctx,
    user,
    cluster,
    found,
    { ...found.app, instances: input.instances },
    "scale",
    {
      action: "service.scale",
      target: found.current.install.id,
      details: { app: appId, from: previous, to: input.instances },
    },
  );
  return { ...base, changed: true, ...written };
}

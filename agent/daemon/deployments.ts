/**
 * Where each app's deployment stands, for the operator's status view: the step (steady,
 * scaling or upgrading, with counts) and why it waits when it cannot proceed (the scheduler's
 * explanation, e.g. "0 of 3 nodes fit: 3 have < 2048 MB mem free"). Reported only when it
 * changes, so a steady cluster sends nothing.
 */
import type { StatusUpdate } from "../../gateway/contract/agent.js";
import type { ScheduleResult } from "../scheduler/schedule.js";

export function deploymentStep(d: ScheduleResult["deployments"][number]): string {
  if (d.phase === "steady") return `steady: ${d.healthy} of ${d.instances} healthy`;
  const base = `${d.phase}: ${d.healthy} of ${d.instances} healthy, ${d.total} running or stopping`;
  const upgrade =
    d.phase === "upgrading"
      ? `, ${d.currentTasks} new and ${d.oldTasks} old (min healthy ${d.minHealthy}, max ${d.maxCapacity})`
      : "";
  return `${base}${upgrade}${d.noRoom ? ", replacing one at a time" : ""}`.slice(0, 200);
}

export class DeploymentReporter {
  private last = new Map<string, string>();

  /** Forget what was reported (a new holder reports every app once). */
  reset(): void {
    this.last.clear();
  }

  /** Updates for the apps whose step or waiting reason changed. */
  updates(result: ScheduleResult, now: number, newId: () => string): StatusUpdate[] {
    const waiting = new Map<string, string>();
    for (const p of result.pending) if (p.kind === "app") waiting.set(p.id, p.message);
    const out: StatusUpdate[] = [];
    const seen = new Set<string>();
    for (const d of result.deployments) {
      seen.add(d.appId);
      const reason = waiting.get(d.appId) ?? null;
      const step = deploymentStep(d);
      const key = `${step}\u0000${reason ?? ""}`;
      if (this.last.get(d.appId) === key) continue;
      this.last.set(d.appId, key);
      out.push({
        id: newId(),
        kind: "deployment",
        at: now,
        appId: d.appId,
        waitingReason: reason === null ? null : reason.slice(0, 2_000),
        step,
      });
    }
    for (const id of this.last.keys()) if (!seen.has(id)) this.last.delete(id);
    return out;
  }
}

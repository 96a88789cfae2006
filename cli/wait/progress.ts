/**
 * What `--wait` shows about a deployment: one line per app (instances healthy of desired,
 * the current step, why it waits) and the summary a timeout ends with. Pure.
 */
import type { z } from "zod";
import type { AppStatusSchema, InstallStatus } from "../../gateway/contract/installs.js";

type AppStatus = z.infer<typeof AppStatusSchema>;

/** Task states that count as a failed attempt (Mesos's TASK_FAILED, TASK_ERROR). */
const FAILED_STATES = new Set(["FAILED", "ERROR"]);
export const isFailedState = (state: string) => FAILED_STATES.has(state.toUpperCase().replace(/^TASK_/, ""));

/** Why an app waits: the agent's own words, or why no agent has said anything yet. */
export function waitingReason(app: AppStatus, noReport: string): string | null {
  if (app.converged) return null;
  if (app.deployment?.waitingReason) return app.deployment.waitingReason;
  if (!app.deployment && app.tasks.length === 0) return noReport;
  const { desired, healthy, running } = app.instances;
  if (running < desired) return `${desired - running} of ${desired} instances not running yet`;
  if (healthy < desired) return `${desired - healthy} of ${desired} instances not passing health checks yet`;
  return null;
}

export function appLine(app: AppStatus, noReport: string): string {
  const { desired, healthy, running, staged } = app.instances;
  const parts = [`${app.id}: ${healthy}/${desired} healthy`];
  const counts = [running !== healthy && `${running} running`, staged > 0 && `${staged} staging`].filter(
    Boolean,
  );
  if (counts.length > 0) parts[0] += ` (${counts.join(", ")})`;
  if (app.converged) parts.push("converged");
  if (app.deployment?.step) parts.push(`step: ${app.deployment.step}`);
  const reason = waitingReason(app, noReport);
  if (reason) parts.push(`waiting: ${reason}`);
  return parts.join(" · ");
}

/** One line per app, in the plan's order. */
export const progressLines = (status: InstallStatus, noReport: string): string[] =>
  status.apps.map((a) => appLine(a, noReport));

/** The apps that have not converged, with why, for the message a timeout ends with. */
export function pendingSummary(status: InstallStatus, noReport: string): string {
  const pending = status.apps.filter((a) => !a.converged);
  if (pending.length === 0) return "waiting for the agents to report the new revision";
  return pending.map((a) => appLine(a, noReport)).join("; ");
}

/** Whether an agent reported on the install at or after `since` (ISO time). */
export function reportedSince(status: InstallStatus, since: string): boolean {
  const t = Date.parse(since);
  return status.apps.some(
    (a) =>
      (a.deployment !== null && Date.parse(a.deployment.reportedAt) >= t) ||
      a.tasks.some((task) => Date.parse(task.updatedAt) >= t),
  );
}

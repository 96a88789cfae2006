/**
 * Assembles the status of installs from what agents reported: per app, instances desired
 * (from the plan), staged, running and healthy, with its tasks and the last reason its
 * deployment is waiting; per job, its recent runs. Pure: the rows are read elsewhere.
 */
import type { App } from "../../../universe/models/app.js";
import type { InstallStatus } from "../../contract/installs.js";
import type { deploymentStatus, jobRuns, tasks } from "../../db/schema.js";
import { iso } from "../clusters/views.js";
import { canonicalAppId } from "../installs/app-ids.js";
import { type CurrentInstall, planOf } from "../installs/rows.js";

export type TaskRow = typeof tasks.$inferSelect;
export type JobRunRow = typeof jobRuns.$inferSelect;
export type DeploymentRow = typeof deploymentStatus.$inferSelect;

/** What the agents reported for one cluster, grouped for lookups by app and job id. */
export interface Reported {
  tasksByApp: Map<string, TaskRow[]>;
  runsByJob: Map<string, JobRunRow[]>;
  deploymentByApp: Map<string, DeploymentRow>;
  /** Agent id → its node's hostname. */
  nodeOf: Map<string, string>;
}

const RUNS_SHOWN = 10;

/** Agents may report Mesos-style `TASK_RUNNING` or plain `RUNNING`. */
const stateOf = (state: string) => state.toUpperCase().replace(/^TASK_/, "");

export function groupReported(
  taskRows: TaskRow[],
  runRows: JobRunRow[],
  deploymentRows: DeploymentRow[],
  agentRows: { id: string; hostname: string }[],
): Reported {
  const tasksByApp = new Map<string, TaskRow[]>();
  for (const t of taskRows) {
    const key = canonicalAppId(t.appId);
    tasksByApp.set(key, [...(tasksByApp.get(key) ?? []), t]);
  }
  const runsByJob = new Map<string, JobRunRow[]>();
  for (const r of runRows) runsByJob.set(r.jobId, [...(runsByJob.get(r.jobId) ?? []), r]);
  return {
    tasksByApp,
    runsByJob,
    deploymentByApp: new Map(deploymentRows.map((d) => [canonicalAppId(d.appId), d])),
    nodeOf: new Map(agentRows.map((a) => [a.id, a.hostname])),
  };
}

function appStatus(app: App, reported: Reported) {
  const id = canonicalAppId(app.id);
  const rows = [...(reported.tasksByApp.get(id) ?? [])].sort((a, b) => a.taskId.localeCompare(b.taskId));
  // The plan is stored JSON: read defensively rather than trust every default is present.
  const checked = (app.healthChecks?.length ?? 0) > 0;
  let staged = 0;
  let running = 0;
  let healthy = 0;
  for (const t of rows) {
    const state = stateOf(t.state);
    if (state === "STAGING" || state === "STARTING") staged++;
    if (state !== "RUNNING") continue;
    running++;
    if (checked ? t.healthy === true : t.healthy !== false) healthy++;
  }
  const desired = app.instances ?? 1;
  const deployment = reported.deploymentByApp.get(id);
  return {
    id,
    instances: { desired, staged, running, healthy },
    converged: running === desired && healthy === desired,
    deployment: deployment
      ? {
          waitingReason: deployment.waitingReason,
          step: deployment.step,
          reportedAt: iso(deployment.reportedAt),
        }
      : null,
    tasks: rows.map((t) => ({
      taskId: t.taskId,
      state: t.state,
      healthy: t.healthy,
      agentId: t.agentId,
      node: reported.nodeOf.get(t.agentId) ?? null,
      ports: t.ports,
      version: t.version,
      message: t.message,
      updatedAt: iso(t.updatedAt),
    })),
  };
}

const runTime = (r: JobRunRow) => r.startedAt ?? r.reportedAt;

export function installStatusOf(current: CurrentInstall, reported: Reported): InstallStatus {
  const plan = planOf(current.revision);
  const apps = plan.apps.map((a) => appStatus(a, reported));
  const jobs = plan.jobs.map((j) => ({
    id: j.id,
    schedules: j.schedules?.length ?? 0,
    runs: [...(reported.runsByJob.get(j.id) ?? [])]
      .sort((a, b) => runTime(b) - runTime(a))
      .slice(0, RUNS_SHOWN)
      .map((r) => ({
        runId: r.runId,
        state: r.state,
        message: r.message,
        startedAt: r.startedAt === null ? null : iso(r.startedAt),
        finishedAt: r.finishedAt === null ? null : iso(r.finishedAt),
      })),
  }));
  return {
    appId: current.install.appId,
    package: current.install.packageName,
    version: current.revision.packageVersion,
    revision: current.install.currentRevision,
    converged: apps.every((a) => a.converged),
    apps,
    jobs,
  };
}

/**
 * `--wait`: polls an install's status until every app has its instances running and healthy
 * (exit 0), a task keeps failing or the install disappears (exit 1), or the timeout passes
 * (exit 1, with the last reason it was waiting). On a terminal it redraws one status line;
 * otherwise it prints a line each time an app's progress changes, which is what logs and
 * tests read.
 */
import { ClusterSchema } from "../../gateway/contract/clusters.js";
import { type InstallStatus, InstallStatusSchema } from "../../gateway/contract/installs.js";
import { apiPath } from "../api/client.js";
import { GatewayRefusal } from "../api/problem.js";
import { CliError, usageError } from "../errors.js";
import type { Session } from "../session.js";
import { isFailedState, pendingSummary, progressLines, reportedSince } from "./progress.js";

/** A service whose tasks fail this many times is reported as failed rather than waited on. */
export const FAILED_TASKS_LIMIT = 3;
const POLL_MS = 1_000;

/** `300000` → `300s`, `200` → `0.2s`. */
export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))}s`;

export interface FollowOptions {
  cluster: string;
  appId: string;
  /** The revision the change created; a different one means someone else changed the install. */
  revision: number;
  /** For an update or rollback: when it was made, so tasks of the previous revision do not count. */
  since?: string;
  timeoutMs: number;
}

/** `--timeout` in seconds → milliseconds; usage error when it is not a positive number. */
export function parseTimeout(value: string | undefined): number {
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= 0) {
    throw usageError(`--timeout ${value ?? ""}: give the seconds to wait, e.g. --timeout 300`);
  }
  return Math.round(n * 1000);
}

export async function followInstall(session: Session, options: FollowOptions): Promise<void> {
  const { out } = session;
  const { host } = out;
  const { cluster, appId, timeoutMs } = options;
  const live = out.tty === true && out.update !== undefined && !session.json;
  // In --json mode stdout carries one JSON document: progress goes to stderr.
  const log = (line: string) => (session.json ? out.error(line) : out.line(line));
  const deadline = host.now() + timeoutMs;
  const shown = new Map<string, string>();
  const failed = new Map<string, Map<string, string | null>>();
  let sawPending = false;

  log(`Waiting for ${appId} on cluster ${cluster} to converge (timeout ${seconds(timeoutMs)})…`);
  for (;;) {
    const status = await readStatus(session, cluster, appId);
    if (status.revision !== options.revision) {
      if (live) out.update?.("");
      throw new CliError(
        `${appId} moved to revision ${status.revision} while waiting for revision ${options.revision}: someone else changed it (flotilla package history ${appId})`,
      );
    }
    const noReport = await noReportReason(session, cluster, status);
    const lines = progressLines(status, noReport);
    if (live) out.update?.(lines.join("  |  "));
    else {
      status.apps.forEach((app, i) => {
        const line = lines[i] as string;
        if (shown.get(app.id) !== line) log(line);
        shown.set(app.id, line);
      });
    }

    for (const app of status.apps) {
      const seen = failed.get(app.id) ?? new Map<string, string | null>();
      for (const t of app.tasks) {
        // Failures of the revision being replaced are history, not a verdict on this one.
        const current = options.since === undefined || Date.parse(t.updatedAt) >= Date.parse(options.since);
        if (current && isFailedState(t.state)) seen.set(t.taskId, t.message);
      }
      failed.set(app.id, seen);
      if (seen.size >= FAILED_TASKS_LIMIT) {
        if (live) out.update?.("");
        const last = [...seen.values()].reverse().find((m) => m) ?? "no message";
        throw new CliError(
          `${app.id} is failing: ${seen.size} tasks failed (last: ${last}). See flotilla service tasks ${app.id} --cluster ${cluster}`,
        );
      }
    }

    const fresh = options.since === undefined || sawPending || reportedSince(status, options.since);
    if (status.converged && fresh) {
      if (live) out.update?.("");
      const apps = status.apps.length;
      log(
        apps === 0
          ? `${appId} has no services to wait for (jobs run on their schedule: flotilla job list --cluster ${cluster})`
          : `${appId} converged: ${status.apps.map((a) => `${a.id} ${a.instances.healthy}/${a.instances.desired} healthy`).join(", ")}`,
      );
      return;
    }
    if (!status.converged) sawPending = true;

    const left = deadline - host.now();
    if (left <= 0) {
      if (live) out.update?.("");
      throw new CliError(
        `timed out after ${seconds(timeoutMs)} waiting for ${appId} to converge: ${pendingSummary(status, noReport)}`,
      );
    }
    await host.sleep(Math.min(POLL_MS, left));
  }
}

async function readStatus(session: Session, cluster: string, appId: string): Promise<InstallStatus> {
  try {
    const { data } = await session.api.request(
      InstallStatusSchema,
      "GET",
      apiPath`/v1/clusters/${cluster}/installs/${appId}/status`,
    );
    return data;
  } catch (e) {
    if (e instanceof GatewayRefusal && e.status === 404) {
      throw new CliError(
        `${appId} is no longer installed on cluster ${cluster}: it was uninstalled while waiting`,
      );
    }
    throw e;
  }
}

/** What to say for an app no agent has reported on: usually that the cluster has no agent. */
async function noReportReason(session: Session, cluster: string, status: InstallStatus): Promise<string> {
  const unreported = status.apps.some((a) => !a.converged && a.deployment === null && a.tasks.length === 0);
  if (!unreported) return "no agent has reported on it yet";
  return (await agentlessReason(session, cluster)) ?? `no agent of cluster ${cluster} has reported on it yet`;
}

/** Why nothing happens on a cluster without a healthy agent; undefined when it has one. */
export async function agentlessReason(session: Session, cluster: string): Promise<string | undefined> {
  const { data } = await session.api.request(ClusterSchema, "GET", apiPath`/v1/clusters/${cluster}`);
  if (data.agents.healthy > 0) return undefined;
  return `no healthy agent in cluster ${data.name} (start one with a join token: flotilla cluster token ${data.name})`;
}

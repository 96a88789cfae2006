/**
 * Tasks as nodes report them, and what each state means to the scheduler: whether the task
 * still holds resources, whether it counts as an instance of its app, whether it is healthy.
 */
import type { App } from "../../universe/models/app.js";
import type { ResourceAmounts } from "./resources.js";

/** Mesos task states (SCHEDULING.md). */
export type TaskState =
  | "STAGING"
  | "STARTING"
  | "RUNNING"
  | "KILLING"
  | "FINISHED"
  | "FAILED"
  | "KILLED"
  | "ERROR"
  | "LOST"
  | "UNREACHABLE"
  | "GONE";

/** A task as last reported (terminal ones included: the planner counts failures from them). */
export interface ObservedTask {
  id: string;
  nodeId: string;
  state: TaskState;
  resources: ResourceAmounts;
  ports?: readonly number[];
  /** Epoch ms the task was launched. */
  startedAt: number;
  /** Epoch ms the task reached a terminal state. */
  endedAt?: number;
  /** Services: the app and the version id it was launched from. */
  appId?: string;
  version?: string;
  /** Jobs: the run it belongs to. */
  runId?: string;
  /**
   * Health as the health checker reports it: true once a check passed, false once
   * `maxConsecutiveFailures` checks in a row failed, absent while unknown.
   */
  healthy?: boolean;
}

/** STAGING, STARTING, RUNNING: counts as an instance of its app. */
export function isActive(state: TaskState): boolean {
  return state === "STAGING" || state === "STARTING" || state === "RUNNING";
}

/**
 * Still holds its node's resources and ports: active, being killed, or unreachable (it may
 * well still be running behind a partition, so its resources are not handed out again).
 */
export function holdsResources(state: TaskState): boolean {
  return isActive(state) || state === "KILLING" || state === "UNREACHABLE";
}

/**
 * Counts for its app's placement constraints (UNIQUE, MAX_PER, GROUP_BY, CLUSTER): active or
 * being killed — a task on its way out still occupies its host and ports.
 */
export function countsForConstraints(state: TaskState): boolean {
  return isActive(state) || state === "KILLING";
}

/** FAILED, FINISHED, ERROR: a run of the task that ended on its own, which restart backoff counts. */
export function isFailure(state: TaskState): boolean {
  return state === "FAILED" || state === "FINISHED" || state === "ERROR";
}

/** RUNNING and, if the app has health checks, reported healthy. */
export function isHealthy(task: ObservedTask, app: App): boolean {
  return task.state === "RUNNING" && (app.healthChecks.length === 0 || task.healthy === true);
}

/**
 * The cluster's tasks as the lease holder must see them to plan: every assignment (with the
 * resources and ports of its spec) in the state its agent last reported — or STAGING while
 * no report has come yet (the launch is decided, so it counts), KILLING once a kill was asked
 * for — plus the holder's own decisions of the last cycles that the desired state does not
 * show yet, plus ended tasks whose assignment was already forgotten (restart backoff counts
 * them). Tasks of agents that went stale or lost are LOST: reported so, killed (should the
 * agent come back) and replaced — but only when the caller trusts those verdicts
 * (`livenessTrusted`). Right after an outage every agent looks stale to the gateway until it
 * reconnects; until then such tasks keep their reported states (they still count, so nothing
 * is launched twice) and their nodes take no new work (cycle-plan.ts offers healthy nodes
 * only). An agent that no longer exists at all is not a verdict: its tasks are LOST at once. Pure.
 */
import {
  type DesiredState,
  type Observed,
  type StatusUpdate,
  TaskStateSchema,
} from "../../gateway/contract/agent.js";
import { isActive, type ObservedTask, type TaskState } from "../scheduler/tasks.js";
import { isTerminal } from "./local-task.js";
import { ownerIdOf, parseTaskSpec, type TaskSpec } from "./task-spec.js";

const STATES = new Set<string>(TaskStateSchema.options);

/** A reported state as a TaskState (`TASK_RUNNING` → RUNNING); anything unknown is taken as LOST. */
export function taskStateOf(reported: string): TaskState {
  const s = reported.toUpperCase().replace(/^TASK_/, "");
  return (STATES.has(s) ? s : "LOST") as TaskState;
}

/** A launch or kill this holder posted, not yet visible in the desired state. */
export interface PendingDecisions {
  launches: Map<string, { agentId: string; spec: TaskSpec; at: number }>;
  kills: Map<string, number>;
}

export interface LostTask {
  taskId: string;
  ownerId: string;
  version?: string;
  ports: number[];
  message: string;
}

export interface ClusterTasks {
  tasks: ObservedTask[];
  /** Specs of every assigned task (the jobs bookkeeping reads the job ones). */
  specs: Map<string, TaskSpec>;
  /** Reported state of every known task id (assignments and rows). */
  states: Map<string, { state: TaskState; message: string | null; at: number }>;
  /** Tasks on agents that stopped answering: report LOST and kill. */
  lost: LostTask[];
  /** Assigned tasks already marked to stop (no need to ask again). */
  killMarked: Set<string>;
  /** Assignments of ended tasks (candidates for `forget`). */
  ended: string[];
  /** Agents counted stale or lost, with active tasks, whose verdict was not trusted (yet). */
  unconfirmed: Set<string>;
}

export interface ClusterTasksOptions {
  /**
   * Whether the gateway's stale and lost verdicts may be acted on: the caller has been in
   * uninterrupted contact with the gateway long enough for every live agent to be heard again.
   */
  livenessTrusted: boolean;
  /** Ended tasks without an assignment count only when they ended after this (ms). */
  historySince?: number;
}

export function clusterTasks(
  doc: DesiredState,
  observed: Observed,
  pending: PendingDecisions,
  desiredApps: ReadonlySet<string>,
  options: ClusterTasksOptions,
): ClusterTasks {
  const historySince = options.historySince ?? 0;
  const rows = new Map(observed.tasks.map((t) => [t.taskId, t]));
  const liveness = new Map(observed.agents.map((a) => [a.agentId, a]));
  const out: ClusterTasks = {
    tasks: [],
    specs: new Map(),
    states: new Map(),
    lost: [],
    killMarked: new Set(),
    ended: [],
    unconfirmed: new Set(),
  };
  const assigned = new Set<string>();

  for (const a of doc.assignments) {
    assigned.add(a.taskId);
    const parsed = parseTaskSpec(a.spec);
    const row = rows.get(a.taskId);
    let state: TaskState = row ? taskStateOf(row.state) : "STAGING";
    const killAsked = a.kill || pending.kills.has(a.taskId);
    if (a.kill) out.killMarked.add(a.taskId);
    if (killAsked && isActive(state)) state = "KILLING";
    if (!parsed.ok) {
      // The agent reports it FAILED; once it has, the assignment can go.
      if (row && isTerminal(state)) out.ended.push(a.taskId);
      continue;
    }
    const spec = parsed.value;
    out.specs.set(a.taskId, spec);
    const agent = liveness.get(a.agentId);
    if (!isTerminal(state) && agent && agent.state !== "healthy" && !options.livenessTrusted) {
      out.unconfirmed.add(agent.agentId);
    } else if (!isTerminal(state) && agent?.state !== "healthy") {
      const why = agent ? `its agent ${agent.hostname} is ${agent.state}` : `its agent ${a.agentId} is gone`;
      out.lost.push({
        taskId: a.taskId,
        ownerId: ownerIdOf(spec),
        ...(spec.version && { version: spec.version }),
        ports: row?.ports ?? spec.ports.map((p) => p.port),
        message: `${why}: replaced elsewhere`,
      });
      state = "LOST";
    }
    out.states.set(a.taskId, {
      state,
      message: row?.message ?? null,
      at: row?.reportedAt ?? spec.launchedAt,
    });
    if (isTerminal(state) && row) out.ended.push(a.taskId);
    out.tasks.push(observedTask(a.taskId, a.agentId, spec, state, row));
  }

  for (const [taskId, p] of pending.launches) {
    if (assigned.has(taskId)) continue;
    out.specs.set(taskId, p.spec);
    const state: TaskState = pending.kills.has(taskId) ? "KILLING" : "STAGING";
    out.states.set(taskId, { state, message: null, at: p.at });
    out.tasks.push(observedTask(taskId, p.agentId, p.spec, state, undefined));
  }

  // Ended tasks whose assignment is gone still count for restart backoff; a row still active
  // without an assignment is being stopped by its agent (its assignment vanished).
  for (const row of observed.tasks) {
    if (assigned.has(row.taskId) || pending.launches.has(row.taskId)) continue;
    const state = taskStateOf(row.state);
    out.states.set(row.taskId, { state, message: row.message, at: row.reportedAt });
    if (!desiredApps.has(row.appId) || (isTerminal(state) && row.reportedAt < historySince)) continue;
    out.tasks.push({
      id: row.taskId,
      nodeId: row.agentId,
      state: isTerminal(state) ? state : "KILLING",
      resources: { cpus: 0, mem: 0 },
      ports: [],
      startedAt: row.reportedAt,
      ...(isTerminal(state) && { endedAt: row.reportedAt }),
      appId: row.appId,
      ...(row.version !== null && { version: row.version }),
    });
  }
  return out;
}

function observedTask(
  taskId: string,
  nodeId: string,
  spec: TaskSpec,
  state: TaskState,
  row: Observed["tasks"][number] | undefined,
): ObservedTask {
  return {
    id: taskId,
    nodeId,
    state,
    resources: spec.resources,
    ports: row && row.ports.length > 0 ? row.ports : spec.ports.map((p) => p.port),
    startedAt: spec.launchedAt,
    ...(isTerminal(state) && { endedAt: row?.reportedAt ?? spec.launchedAt }),
    ...(spec.kind === "service" && spec.appId !== undefined && { appId: spec.appId }),
    ...(spec.version !== undefined && { version: spec.version }),
    ...(spec.runId !== undefined && { runId: spec.runId }),
    ...(row?.healthy !== null && row?.healthy !== undefined && { healthy: row.healthy }),
  };
}

/** The LOST updates the holder sends for tasks of agents that stopped answering. */
export function lostTaskUpdates(lost: readonly LostTask[], now: number, newId: () => string): StatusUpdate[] {
  return lost.map((t) => ({
    id: newId(),
    kind: "task",
    at: now,
    taskId: t.taskId,
    appId: t.ownerId,
    state: "LOST",
    healthy: null,
    ports: t.ports,
    ...(t.version && { version: t.version }),
    message: t.message,
  }));
}

/**
 * One scheduling decision of the lease holder, pure: from the desired plan, the cluster's
 * tasks and nodes, and the jobs engine's launches, run the scheduler and turn its result into
 * the assignments to post — launches with their specs (services from their app, job attempts
 * under the engine's task ids), kills (the planner's, the engine's, tasks of vanished agents,
 * job tasks of removed jobs) and the assignments of ended tasks to forget.
 */
import {
  type AssignmentsRequest,
  type DesiredState,
  InventorySchema,
  MAX_ASSIGNMENT_ITEMS,
  type Observed,
} from "../../gateway/contract/agent.js";
import type { JobDefinition, JobsDecision, RunRecord } from "../jobs/types.js";
import type { NodeSpec } from "../scheduler/nodes.js";
import type { Rng } from "../scheduler/rng.js";
import { type ScheduleResult, type SchedulerMemory, schedule } from "../scheduler/schedule.js";
import { isActive } from "../scheduler/tasks.js";
import type { DesiredPlan } from "./desired-plan.js";
import { isRunDone } from "./job-runs.js";
import type { ClusterTasks } from "./observed-tasks.js";
import { jobTaskSpec, serviceTaskSpec, type TaskSpec } from "./task-spec.js";

/** The nodes that may take work: agents that are healthy now and reported a valid inventory. */
export function nodesOf(doc: DesiredState, observed: Observed): NodeSpec[] {
  const live = new Map(observed.agents.map((a) => [a.agentId, a.state]));
  const nodes: NodeSpec[] = [];
  for (const a of doc.agents) {
    if (live.get(a.agentId) !== "healthy") continue;
    const inv = InventorySchema.safeParse(a.inventory);
    if (!inv.success) continue;
    const { resources, attributes } = inv.data;
    nodes.push({
      id: a.agentId,
      hostname: a.hostname,
      resources: {
        cpus: resources.cpus,
        mem: resources.mem,
        disk: resources.disk,
        gpus: resources.gpus ?? 0,
      },
      ports: resources.ports,
      attributes,
    });
  }
  return nodes;
}

export interface CycleInput {
  doc: DesiredState;
  observed: Observed;
  plan: DesiredPlan;
  cluster: ClusterTasks;
  jobs: Pick<JobsDecision, "launch" | "kill">;
  runOf: (runId: string) => RunRecord | undefined;
  memory: SchedulerMemory | undefined;
  /** Kills already asked for and not yet visible in the desired state. */
  pendingKills: ReadonlySet<string>;
  now: number;
  rng: Rng;
  epoch: number;
}

export interface CyclePlan {
  request: AssignmentsRequest;
  /** Launches as posted (for the holder's pending decisions). */
  launched: { taskId: string; agentId: string; spec: TaskSpec }[];
  /** Job attempts placed: record them on their runs once posted. */
  attempts: { runId: string; taskId: string }[];
  result: ScheduleResult;
}

export function planCycle(input: CycleInput): CyclePlan {
  const { plan, cluster, now } = input;
  const jobDefs = new Map<string, JobDefinition>(plan.jobs.map((d) => [d.job.id, d]));
  const engineLaunch = new Map(input.jobs.launch.map((l) => [l.runId, l]));
  const runs = input.jobs.launch.map((l) => ({
    runId: l.runId,
    job: l.job,
    queuedAt: input.runOf(l.runId)?.createdAt ?? now,
  }));
  const result = schedule(
    {
      nodes: nodesOf(input.doc, input.observed),
      apps: plan.apps,
      tasks: cluster.tasks,
      runs,
      ...(input.memory && { memory: input.memory }),
    },
    now,
    input.rng,
  );

  const apps = new Map(plan.apps.map((a) => [a.app.id, a]));
  const launched: CyclePlan["launched"] = [];
  const attempts: CyclePlan["attempts"] = [];
  for (const l of result.launches) {
    const resources = { ...l.resources };
    if (l.appId !== undefined) {
      const planned = apps.get(l.appId);
      if (!planned || l.version === undefined) continue;
      const spec = serviceTaskSpec(planned.app, l.version, planned.installId, {
        ports: l.ports,
        resources,
        now,
      });
      launched.push({ taskId: l.taskId, agentId: l.nodeId, spec });
    } else if (l.runId !== undefined) {
      const decided = engineLaunch.get(l.runId);
      const def = decided && jobDefs.get(decided.jobId);
      if (!decided || !def) continue;
      // The engine names attempts; the scheduler only chose where.
      const spec = jobTaskSpec(decided.job, l.runId, def.installId, { ports: [], resources, now });
      launched.push({ taskId: decided.taskId, agentId: l.nodeId, spec });
      attempts.push({ runId: l.runId, taskId: decided.taskId });
    }
  }

  const kill = new Set<string>();
  for (const k of result.kills) kill.add(k.taskId);
  for (const k of input.jobs.kill) kill.add(k.taskId);
  for (const t of cluster.lost) kill.add(t.taskId);
  for (const [taskId, spec] of cluster.specs) {
    const state = cluster.states.get(taskId)?.state;
    if (spec.kind === "job" && spec.jobId && !jobDefs.has(spec.jobId) && state && isActive(state))
      kill.add(taskId);
  }
  for (const id of [...kill]) if (cluster.killMarked.has(id) || input.pendingKills.has(id)) kill.delete(id);

  // Ended job attempts stay assigned while their run goes on (a new holder rebuilds attempts
  // from assignments); every other ended task's assignment can go.
  const forget = cluster.ended.filter((taskId) => {
    const spec = cluster.specs.get(taskId);
    if (spec?.kind !== "job" || !spec.runId) return true;
    const run = input.runOf(spec.runId);
    return !run || isRunDone(run.state);
  });

  return {
    request: {
      epoch: input.epoch,
      launch: launched.map((l) => ({
        taskId: l.taskId,
        agentId: l.agentId,
        spec: l.spec as Record<string, unknown>,
      })),
      kill: [...kill],
      forget,
    },
    launched,
    attempts,
    result,
  };
}

/** The request in pieces the gateway accepts (at most 1,000 items per list); none when empty. */
export function chunked(request: AssignmentsRequest): AssignmentsRequest[] {
  const { launch, kill, forget, epoch } = request;
  const out: AssignmentsRequest[] = [];
  for (let i = 0; i < Math.max(launch.length, kill.length, forget.length); i += MAX_ASSIGNMENT_ITEMS) {
    const cut = <T>(list: T[]) => list.slice(i, i + MAX_ASSIGNMENT_ITEMS);
    out.push({ epoch, launch: cut(launch), kill: cut(kill), forget: cut(forget) });
  }
  return out;
}

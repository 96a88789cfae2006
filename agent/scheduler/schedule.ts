/**
 * The entry the agent daemon calls every cycle: from the nodes, the desired apps, the observed
 * tasks, the queued job runs and the memory of the previous cycle, decide what to launch where
 * and what to kill, and explain everything that waits. Pure: time and randomness come in,
 * the memory to pass to the next cycle comes out.
 */
import { allocate } from "./allocator.js";
import type { DeploymentStatus, TaskKill } from "./app-plan.js";
import type { BackoffRecord } from "./backoff.js";
import { explanationMessage, type PendingExplanation, summarizeNodes } from "./explain.js";
import type { Framework } from "./framework.js";
import { isExpired, type JobRunRequest, JobsFramework } from "./jobs.js";
import { Inventory, type NodeSpec } from "./nodes.js";
import type { PlacementGroup } from "./placement-group.js";
import { type DesiredApp, planDeployments } from "./planner.js";
import { type RefusalFilterRecord, RefusalFilters } from "./refusal-filters.js";
import { addInto, type ResourceAmounts, type Resources, toAmounts, toFixed, zero } from "./resources.js";
import type { Rng } from "./rng.js";
import { ServicesFramework, serviceGroup } from "./services.js";
import { holdsResources, type ObservedTask } from "./tasks.js";

/** What the scheduler remembers between cycles (plain JSON). */
export interface SchedulerMemory {
  filters: RefusalFilterRecord[];
  backoff: Record<string, BackoffRecord>;
  /** Per framework, per group key: instances left waiting at the end of the cycle. */
  waiting: Record<string, Record<string, number>>;
}

export interface ScheduleInput {
  nodes: readonly NodeSpec[];
  apps: readonly DesiredApp[];
  tasks: readonly ObservedTask[];
  runs?: readonly JobRunRequest[];
  memory?: SchedulerMemory;
  /** DRF weights of the built-in frameworks (default 1 each). */
  weights?: { services?: number; jobs?: number };
  /** Plug-in frameworks, offered resources alongside the built-in ones. */
  frameworks?: readonly Framework[];
}

/** Start this task on this node. */
export interface Launch {
  taskId: string;
  framework: string;
  nodeId: string;
  hostname: string;
  resources: Required<ResourceAmounts>;
  ports: number[];
  appId?: string;
  version?: string;
  runId?: string;
  jobId?: string;
}

export interface ScheduleResult {
  launches: Launch[];
  kills: TaskKill[];
  pending: PendingExplanation[];
  /** Runs that waited longer than their job's maxLaunchDelay: abort them. */
  expiredRuns: string[];
  deployments: DeploymentStatus[];
  memory: SchedulerMemory;
  stats: { rounds: number; offers: number; declines: number; rejected: number };
}

/**
 * One scheduling cycle.
 *
 * @example
 * const result = schedule({ nodes, apps, tasks, memory }, Date.now(), createRng(cycleSeed));
 * memory = result.memory; // pass to the next cycle
 */
export function schedule(input: ScheduleInput, now: number, rng: Rng): ScheduleResult {
  const inventory = Inventory.from(input.nodes);
  const held = new Map<string, Resources>([
    ["services", zero()],
    ["jobs", zero()],
  ]);
  for (const t of input.tasks) {
    const i = inventory.indexOf(t.nodeId);
    if (i === undefined || !holdsResources(t.state)) continue;
    const res = toFixed(t.resources);
    inventory.occupy(i, res, t.ports ?? []);
    const fw = t.appId !== undefined ? "services" : t.runId !== undefined ? "jobs" : undefined;
    if (fw) addInto(held.get(fw)!, res);
  }

  const memory = input.memory ?? { filters: [], backoff: {}, waiting: {} };
  const plan = planDeployments({ apps: input.apps, tasks: input.tasks, now, backoff: memory.backoff });
  const filters = RefusalFilters.restore(memory.filters, inventory);
  const runs = input.runs ?? [];
  const expiredRuns = runs.filter((r) => isExpired(r, now)).map((r) => r.runId);
  const tag = `${Math.max(0, Math.floor(now)).toString(36)}${rng.next().toString(36)}`;
  const services = new ServicesFramework(plan.launches, input.tasks, inventory, {
    taskIdTag: tag,
    weight: input.weights?.services,
  });
  const jobs = new JobsFramework(
    runs.filter((r) => !isExpired(r, now)),
    { taskIdTag: tag, weight: input.weights?.jobs },
  );
  const builtIn = [services, jobs];
  // Revive: a framework with more waiting than at the end of the last cycle has new work.
  for (const fw of builtIn) {
    const before = memory.waiting[fw.id] ?? {};
    if (fw.unplaced().some((g) => g.remaining > (before[g.key] ?? 0))) filters.revive(fw.id);
  }

  const frameworks = [...builtIn, ...(input.frameworks ?? [])];
  const result = allocate(inventory, frameworks, { now, rng, filters, allocated: held });

  const node = (i: number) => inventory.nodes[i]!;
  const launches: Launch[] = [];
  const accepted = new Set(result.launches.map((l) => l.launch.taskId));
  for (const l of services.launched) {
    if (!accepted.has(l.taskId)) continue;
    launches.push({
      taskId: l.taskId,
      framework: services.id,
      nodeId: node(l.nodeIndex).id,
      hostname: node(l.nodeIndex).hostname,
      resources: toAmounts(l.resources),
      ports: l.ports,
      appId: l.appId,
      version: l.version,
    });
  }
  for (const l of jobs.launched) {
    if (!accepted.has(l.taskId)) continue;
    launches.push({
      taskId: l.taskId,
      framework: jobs.id,
      nodeId: node(l.nodeIndex).id,
      hostname: node(l.nodeIndex).hostname,
      resources: toAmounts(l.resources),
      ports: [],
      runId: l.runId,
      jobId: l.jobId,
    });
  }
  for (const l of result.launches) {
    if (l.frameworkId === services.id || l.frameworkId === jobs.id) continue;
    launches.push({
      taskId: l.launch.taskId,
      framework: l.frameworkId,
      nodeId: l.nodeId,
      hostname: node(l.nodeIndex).hostname,
      resources: toAmounts(l.launch.resources),
      ports: [...l.launch.ports],
    });
  }

  // A held app is new work for its framework once its hold ends (the framework revives then),
  // so refusal filters are not what holds it: judge its nodes without them.
  const noFilters = new RefusalFilters(inventory);
  const explain = (g: PlacementGroup, fw: string, holds: PendingExplanation["holds"]) => {
    const nodes = summarizeNodes(g, inventory, holds.length > 0 ? noFilters : filters, fw, now);
    return { nodes, holds, message: explanationMessage(nodes, holds, now) };
  };
  const pending: PendingExplanation[] = [];
  for (const g of services.unplaced()) {
    pending.push({
      kind: "app",
      id: g.app.id,
      version: g.version,
      waiting: g.remaining,
      ...explain(g, services.id, []),
    });
  }
  for (const h of plan.held) {
    // A held app was never handed to the framework; judge the nodes for a group of its own.
    const request = { app: h.app, version: h.version, count: h.wanted, depth: 0 };
    const group = serviceGroup(
      request,
      input.tasks.filter((t) => t.appId === h.app.id),
      inventory,
    );
    pending.push({
      kind: "app",
      id: h.app.id,
      version: h.version,
      waiting: h.wanted,
      ...explain(group, services.id, h.holds),
    });
  }
  for (const g of jobs.unplaced()) {
    pending.push({
      kind: "run",
      id: g.run.runId,
      jobId: g.run.job.id,
      waiting: 1,
      ...explain(g, jobs.id, []),
    });
  }

  const waiting: SchedulerMemory["waiting"] = {};
  for (const fw of builtIn) {
    const left = fw.unplaced();
    if (left.length > 0) waiting[fw.id] = Object.fromEntries(left.map((g) => [g.key, g.remaining]));
  }
  return {
    launches,
    kills: plan.kills,
    pending,
    expiredRuns,
    deployments: plan.deployments,
    memory: { filters: filters.toRecords(now), backoff: plan.backoff, waiting },
    stats: {
      rounds: result.rounds,
      offers: result.offers,
      declines: result.declines,
      rejected: result.rejected.length,
    },
  };
}

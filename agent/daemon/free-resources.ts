/**
 * The `free` part of the node's inventory report: its total resources minus what the tasks
 * this agent runs still hold — active ones and ones being killed, as the scheduler counts them
 * (`holdsResources`) — cpus, mem, disk, gpus and the host ports of their specs. Informative
 * for operators and dashboards: the lease holder derives free resources from the assignments
 * itself, and the gateway stores `free` without moving the revision. Pure.
 */
import type { Inventory } from "../../gateway/contract/agent.js";
import { PortSet } from "../scheduler/port-set.js";
import { subtractInto, toAmounts, toFixed } from "../scheduler/resources.js";
import { holdsResources, type TaskState } from "../scheduler/tasks.js";
import type { TaskSpec } from "./task-spec.js";

type NodeResources = Inventory["resources"];

/** The contract's limit on port ranges in one report. */
const MAX_PORT_RANGES = 64;

/**
 * @example
 *   freeResources(inventory.resources, [...executor.tasks.values()].map((t) => ({ state: t.row.state, spec: t.spec })))
 */
export function freeResources(
  total: NodeResources,
  tasks: Iterable<{ state: TaskState; spec: Pick<TaskSpec, "resources" | "ports"> | undefined }>,
): NodeResources {
  const free = toFixed(total);
  const ports = PortSet.from(total.ports);
  for (const t of tasks) {
    if (!t.spec || !holdsResources(t.state)) continue;
    subtractInto(free, toFixed(t.spec.resources));
    for (const p of t.spec.ports) ports.take([p.port]);
  }
  const left = toAmounts({
    cpus: Math.max(0, free.cpus),
    mem: Math.max(0, free.mem),
    disk: Math.max(0, free.disk),
    gpus: Math.max(0, free.gpus),
  });
  return {
    cpus: left.cpus,
    mem: left.mem,
    disk: left.disk,
    ...(total.gpus !== undefined && { gpus: left.gpus }),
    ports: largestRanges(ports.ranges(), MAX_PORT_RANGES),
  };
}

/**
 * At most `max` ranges, in port order: when the free ports are more fragmented than that, the
 * smallest ranges are left out (the report then understates free ports, never overstates them).
 */
function largestRanges(ranges: readonly (readonly [number, number])[], max: number): [number, number][] {
  const kept =
    ranges.length <= max
      ? ranges
      : [...ranges]
          .sort((a, b) => b[1] - b[0] - (a[1] - a[0]) || a[0] - b[0])
          .slice(0, max)
          .sort((a, b) => a[0] - b[0]);
  return kept.map(([from, to]) => [from, to]);
}

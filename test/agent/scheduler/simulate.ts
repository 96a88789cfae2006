/**
 * A tiny stand-in for the daemon and the nodes, for planner tests: applies a plan's kills
 * (task → KILLING) and launches (new STAGING tasks), and moves tasks along their life.
 */
import type { DeploymentPlan, ObservedTask } from "../../../agent/scheduler/index.js";

export class Cluster {
  private seq = 0;
  constructor(public tasks: ObservedTask[]) {}

  /** Kills become KILLING, launches become STAGING tasks of the version they name. */
  apply(plan: DeploymentPlan, now: number): void {
    const killed = new Set(plan.kills.map((k) => k.taskId));
    this.tasks = this.tasks.map((t) =>
      killed.has(t.id) ? { ...t, state: "KILLING" as const, healthy: undefined } : t,
    );
    for (const l of plan.launches) {
      for (let k = 0; k < l.count; k++) {
        this.tasks.push({
          id: `t${++this.seq}`,
          nodeId: "n",
          appId: l.app.id,
          version: l.version,
          state: "STAGING",
          resources: { cpus: l.app.cpus, mem: l.app.mem },
          startedAt: now,
        });
      }
    }
  }

  /** KILLING tasks are gone. */
  reap(): void {
    this.tasks = this.tasks.filter((t) => t.state !== "KILLING");
  }

  /** A task becomes RUNNING and healthy. */
  healthy(id: string): void {
    this.tasks = this.tasks.map((t) =>
      t.id === id ? { ...t, state: "RUNNING" as const, healthy: true } : t,
    );
  }

  count(pred: (t: ObservedTask) => boolean): number {
    return this.tasks.filter(pred).length;
  }
}

/** `instances` RUNNING healthy tasks of version `version`, started a minute apart. */
export function runningTasks(appId: string, version: string, instances: number, now: number): ObservedTask[] {
  return Array.from({ length: instances }, (_, k) => ({
    id: `${version}-${k}`,
    nodeId: "n",
    appId,
    version,
    state: "RUNNING" as const,
    healthy: true,
    resources: { cpus: 1, mem: 128 },
    startedAt: now - (instances - k) * 60_000,
  }));
}

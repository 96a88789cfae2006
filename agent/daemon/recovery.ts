/**
 * Recovery: the first reconcile after the agent starts. Never assume, ask the runtime what
 * really runs (containers by label, processes by pid and start time) and correct the books:
 * - running and still assigned → adopt it (watch its exit, run its health checks again);
 * - running but no longer assigned (or marked kill) → kill it;
 * - exited while the agent was away → report how it ended;
 * - in the books as running but found nowhere → report it LOST, so the lease holder
 *   replaces it (under a new task id: a task id is never launched twice).
 */
import type { DesiredState } from "../../gateway/contract/agent.js";
import type { ContainerRuntime, TaskObservation } from "../runtime/types.js";
import { LABELS } from "../runtime/types.js";
import { LocalTask, newRow, type TaskReporter } from "./local-task.js";
import type { Logger } from "./logger.js";

type Assignment = DesiredState["assignments"][number];

export interface RecoveryContext {
  agentId: string;
  runtime: Pick<ContainerRuntime, "list">;
  tasks: Map<string, LocalTask>;
  reporter: TaskReporter;
  logger: Logger;
  now: () => number;
  /** Watch the exit and run the health checks of a task found running. */
  adopt: (task: LocalTask) => void;
  kill: (task: LocalTask, reason: string) => void;
  exited: (task: LocalTask, obs: TaskObservation, note: string) => Promise<void>;
}

/** What a task found running looks like as a spec, when the books lost it (no stored row). */
function specOf(obs: TaskObservation, a: Assignment | undefined): Record<string, unknown> {
  if (a) return a.spec;
  return {
    kind: obs.kind,
    ...(obs.appId && { appId: obs.appId }),
    ...(obs.jobId && { jobId: obs.jobId }),
    ...(obs.runId && { runId: obs.runId }),
  };
}

export async function recover(ctx: RecoveryContext, own: ReadonlyMap<string, Assignment>): Promise<void> {
  const { tasks, reporter, logger } = ctx;
  const found = (await ctx.runtime.list()).filter((o) => {
    const owner = o.labels[LABELS.agentId];
    return owner === undefined || owner === ctx.agentId;
  });
  const seen = new Set(found.map((o) => o.taskId));
  const counts = { adopted: 0, killed: 0, ended: 0, lost: 0 };

  for (const obs of found) {
    let task = tasks.get(obs.taskId);
    const a = own.get(obs.taskId);
    if (obs.state === "running") {
      if (!task) {
        task = new LocalTask({ ...newRow(obs.taskId, specOf(obs, a), ctx.now()), attempts: 1 });
        tasks.set(obs.taskId, task);
      }
      if (a && !a.kill && !task.terminal) {
        counts.adopted++;
        if (task.row.state !== "RUNNING" || task.row.startedAt === null)
          await reporter.report(task, {
            state: "RUNNING",
            attempts: 1,
            startedAt: obs.startedAt ?? ctx.now(),
            healthy: null,
          });
        else task.row = { ...task.row, healthy: null };
        ctx.adopt(task);
      } else {
        counts.killed++;
        // Ended in the books (reported) yet running: stop it without reporting it anew.
        if (task.terminal) task.row = { ...task.row, state: "RUNNING" };
        ctx.adopt(task);
        ctx.kill(
          task,
          a?.kill ? "the scheduler asked to kill it" : "found running after a restart but no longer assigned",
        );
      }
    } else if (task && !task.terminal) {
      counts.ended++;
      await ctx.exited(task, obs, "ended while the agent was not running");
    }
  }

  for (const task of tasks.values()) {
    if (task.terminal || seen.has(task.taskId)) continue;
    counts.lost++;
    const message =
      task.row.attempts === 0
        ? "the agent stopped before launching it"
        : "vanished while the agent was not running: no process or container found";
    await reporter.report(task, { state: "LOST", finishedAt: ctx.now(), healthy: null }, message);
  }
  logger.info("recovered", { ...counts, known: tasks.size, found: found.length });
}

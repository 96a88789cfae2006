/**
 * Pipelines: a job with dependencies runs when the last ended run of every parent SUCCEEDED
 * after the child's own latest run was created — so each parent success triggers the child at
 * most once, and after any run of the child every parent must succeed again. When a parent's last
 * ended run FAILED or was NOT_RUN (and ended after the child's latest run was created), the child gets
 * a NOT_RUN run naming the failed run, which is never launched; jobs downstream of it follow in
 * the same evaluation, since jobs are visited parents first. Run ids are derived from the parents'
 * run ids, so deciding twice (a restart, a new lease holder) never makes a second run.
 */
import { type DecisionBuilder, endOf, triggerOf } from "./book.js";
import { afterRunId, notRunId } from "./ids.js";
import type { JobDefinition, RunRecord } from "./types.js";

export interface JobOrder {
  /** Parents before children; ties by job id. */
  order: JobDefinition[];
  /** Jobs whose dependencies cannot be met (unknown parent, cycle) and why. */
  blocked: Map<string, string>;
}

/**
 * Orders jobs parents first. Unknown parents and cycles were refused when the plan was made
 * (checkJobDependencies); should one arrive anyway, those jobs are never triggered by
 * dependencies and say why, and the rest of the cluster's jobs carry on.
 */
export function orderJobs(defs: ReadonlyMap<string, JobDefinition>): JobOrder {
  const blocked = new Map<string, string>();
  const children = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const [id, def] of defs) {
    const parents = [...new Set(def.job.dependencies)];
    const unknown = parents.filter((p) => !defs.has(p));
    if (unknown.length > 0) blocked.set(id, `job ${id} depends on unknown job ${unknown.join(", ")}`);
    const known = parents.filter((p) => defs.has(p));
    waiting.set(id, known.length);
    for (const p of known) children.set(p, [...(children.get(p) ?? []), id]);
  }
  const ready = [...waiting].filter(([, n]) => n === 0).map(([id]) => id);
  const order: JobDefinition[] = [];
  while (ready.length > 0) {
    ready.sort();
    const id = ready.shift()!;
    order.push(defs.get(id)!);
    for (const child of children.get(id) ?? []) {
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  const cyclic = [...defs.keys()].filter((id) => !order.some((d) => d.job.id === id)).sort();
  for (const id of cyclic) {
    blocked.set(id, `job ${id} is on a dependency cycle among ${cyclic.join(", ")}`);
    order.push(defs.get(id)!);
  }
  return { order, blocked };
}

/** The failed run at the root of a parent's FAILED or NOT_RUN latest run. */
function failureRoot(run: RunRecord): string {
  if (run.state === "FAILED") return run.runId;
  const t = triggerOf(run);
  return (t.kind === "not-run" && t.failedRunId) || run.runId;
}

function notRunMessage(parent: RunRecord, root: string, out: DecisionBuilder): string {
  if (parent.state === "FAILED") return `not run: parent job ${parent.jobId} failed (run ${parent.runId})`;
  const rootJob = out.book.get(root)?.jobId;
  const upstream = rootJob ? `${rootJob} failed (run ${root})` : `an upstream run failed (${root})`;
  return `not run: parent job ${parent.jobId} was not run because ${upstream}`;
}

/** Creates the run a job's parents trigger now, or the NOT_RUN runs their failures call for. */
export function planPipeline(
  def: JobDefinition,
  blocked: ReadonlyMap<string, string>,
  out: DecisionBuilder,
): void {
  const { job } = def;
  if (job.dependencies.length === 0) return;
  const reason = blocked.get(job.id);
  if (reason !== undefined) {
    out.skip({ key: `${job.id}:dependencies`, jobId: job.id, reason });
    return;
  }
  const lastCreated = out.book.latest(job.id)?.createdAt;
  // A parent's run counts when it ended after the child's latest run was created (and not
  // before the job appeared): strictly after, since a run made in the same evaluation as its
  // parent's end has consumed that end.
  const fresh = (run: RunRecord) => {
    const end = endOf(run);
    return (
      end !== undefined &&
      (lastCreated === undefined || end > lastCreated) &&
      (def.since === undefined || end >= def.since)
    );
  };
  // Each parent's run that ended last: a newer run of the parent that is still going (ALLOW, or
  // its next tick created a moment ago) does not hide the end of the one before it.
  const parents = [...new Set(job.dependencies)].map((p) => out.book.lastEnded(p));

  const failed = parents.filter(
    (r): r is RunRecord => r !== undefined && (r.state === "FAILED" || r.state === "NOT_RUN") && fresh(r),
  );
  if (failed.length > 0) {
    const roots = new Set<string>();
    for (const parent of failed) {
      const root = failureRoot(parent);
      const runId = notRunId(job.id, root);
      if (roots.has(root) || out.book.has(runId)) continue;
      roots.add(root);
      const message = notRunMessage(parent, root, out);
      const run = out.createRun({ runId, jobId: job.id, trigger: `not-run:${root}`, message });
      out.transition(run, "NOT_RUN", message);
    }
    return;
  }
  if (!parents.every((r) => r !== undefined && r.state === "SUCCESS" && fresh(r))) return;
  const parentRuns = parents as RunRecord[];
  const runId = afterRunId(
    job.id,
    parentRuns.map((r) => r.runId),
  );
  if (out.book.has(runId)) return;
  out.createRun({
    runId,
    jobId: job.id,
    trigger: `after:${parentRuns.map((r) => r.runId).join(",")}`,
    message: `triggered by the success of ${parentRuns.map((r) => `${r.jobId} (run ${r.runId})`).join(", ")}`,
  });
}

/**
 * The jobs framework: a queue of job runs (Metronome semantics) placed like service tasks —
 * resources from the job's run, its placement constraints (IS/EQ/LIKE/UNLIKE), bin-pack by
 * default — first queued, first placed. Pipelines (which run may start) are the daemon's
 * business; placement is this framework's.
 */
import type { Job } from "../../universe/models/job.js";
import { appStrategy } from "./app-demand.js";
import { compileConstraints, fromJobConstraints } from "./constraints.js";
import { GroupFramework } from "./group-framework.js";
import type { Offer, TaskLaunch } from "./offers.js";
import { InstanceCounts, type PlacementGroup } from "./placement-group.js";
import { type Resources, toFixed } from "./resources.js";

/** A run waiting to be started. */
export interface JobRunRequest {
  runId: string;
  job: Job;
  /** Epoch ms the run was triggered; runs not started within `run.maxLaunchDelay` s expire. */
  queuedAt: number;
}

/** A job task the framework launched. */
export interface RunLaunch {
  taskId: string;
  runId: string;
  jobId: string;
  nodeIndex: number;
  resources: Resources;
}

/** A placement group of one run. */
export interface RunGroup extends PlacementGroup {
  readonly run: JobRunRequest;
}

/** Whether a run waited longer than its job's `maxLaunchDelay` and must be aborted instead. */
export function isExpired(run: JobRunRequest, now: number): boolean {
  return now >= run.queuedAt + run.job.run.maxLaunchDelay * 1000;
}

/** The built-in framework for job runs. */
export class JobsFramework extends GroupFramework {
  readonly id = "jobs";
  readonly launched: RunLaunch[] = [];
  private seq = 0;

  constructor(
    runs: readonly JobRunRequest[],
    private readonly options: { weight?: number; taskIdTag: string },
  ) {
    super(options.weight ?? 1);
    const queue = [...runs].sort((a, b) => a.queuedAt - b.queuedAt || (a.runId < b.runId ? -1 : 1));
    for (const run of queue) {
      const r = run.job.run;
      const constraints = compileConstraints(fromJobConstraints(r.placement.constraints));
      const group: RunGroup = {
        key: run.runId,
        run,
        resources: toFixed({ cpus: r.cpus, mem: r.mem, disk: r.disk, gpus: r.gpus }),
        ports: { any: 0, exact: [] },
        constraints,
        counts: new InstanceCounts([]),
        strategy: appStrategy(run.job),
        remaining: 1,
      };
      this.addGroup(group);
    }
  }

  override unplaced(): RunGroup[] {
    return super.unplaced() as RunGroup[];
  }

  protected launch(group: PlacementGroup, offer: Offer, _ports: number[]): TaskLaunch {
    const g = group as RunGroup;
    const taskId = `${g.run.job.id}_${g.run.runId}.${this.options.taskIdTag}-${(++this.seq).toString(36)}`;
    this.launched.push({
      taskId,
      runId: g.run.runId,
      jobId: g.run.job.id,
      nodeIndex: offer.nodeIndex,
      resources: g.resources,
    });
    return { taskId, resources: g.resources, ports: [] };
  }
}

/** Operator actions on running work (run a job now, scale, restart) and the jobs views. */
import type { GatewayApp } from "../../env.js";
import { registerGetJob } from "./get-job.js";
import { registerJobRuns } from "./job-runs.js";
import { registerListJobs } from "./list-jobs.js";
import { registerRestartService } from "./restart.js";
import { registerRunJob } from "./run-job.js";
import { registerScaleService } from "./scale.js";

export function registerOperationsRoutes(app: GatewayApp): void {
  registerListJobs(app);
  registerGetJob(app);
  registerJobRuns(app);
  registerRunJob(app);
  registerScaleService(app);
  registerRestartService(app);
}

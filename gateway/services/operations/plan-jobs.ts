/**
 * The jobs a cluster runs: every job of every install's current plan, with the install that
 * has it. Job ids are unique on a cluster (installs refuse a clash), so a job id names one job.
 */
import type { Job } from "../../../universe/models/job.js";
import { type CurrentInstall, planOf } from "../installs/rows.js";

export interface PlanJob {
  job: Job;
  install: CurrentInstall;
}

/** Every job of the cluster's installs, by job id. */
export function jobsOfPlans(installs: readonly CurrentInstall[]): PlanJob[] {
  const jobs = installs.flatMap((install) =>
    (planOf(install.revision).jobs ?? []).map((job) => ({ job, install })),
  );
  return jobs.sort((a, b) => (a.job.id < b.job.id ? -1 : a.job.id > b.job.id ? 1 : 0));
}

export const findPlanJob = (jobs: readonly PlanJob[], jobId: string): PlanJob | undefined =>
  jobs.find((j) => j.job.id === jobId);

/** The ids of the jobs that depend on `jobId`. */
export const dependentsOf = (jobs: readonly PlanJob[], jobId: string): string[] =>
  jobs.filter((j) => (j.job.dependencies ?? []).includes(jobId)).map((j) => j.job.id);

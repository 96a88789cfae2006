/**
 * The install plan: what rendering a package with options produces, what the gateway stores
 * per install revision and what agents turn into tasks. Apps and jobs keep every field the
 * template wrote; `warnings` lists the fields Flotilla keeps but does not act on.
 */
import type { App } from "./app.js";
import type { Job } from "./job.js";

export interface InstallPlan {
  package: {
    name: string;
    version: string;
    releaseVersion: number;
  };
  apps: App[];
  jobs: Job[];
  warnings: string[];
}

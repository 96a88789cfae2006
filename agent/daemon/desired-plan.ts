/**
 * What the desired state asks the cluster to run, in the scheduler's terms: every install's
 * apps (with the version id of their configuration) and jobs. Plans crossed the gateway as
 * JSON, so each app and job is parsed again with the universe models; one that does not
 * parse is skipped with a warning (it never runs, the rest of the plan does). Parsed plans
 * are kept per install revision, since the holder looks at them every cycle.
 */
import type { DesiredState } from "../../gateway/contract/agent.js";
import { type App, AppSchema } from "../../universe/models/app.js";
import { JobSchema } from "../../universe/models/job.js";
import type { JobDefinition } from "../jobs/types.js";
import { appVersionId } from "../scheduler/app-demand.js";
import type { DesiredApp } from "../scheduler/planner.js";
import type { Logger } from "./logger.js";

/** A desired app and the install it came from. */
export interface PlannedApp extends DesiredApp {
  installId: string;
}

export interface DesiredPlan {
  apps: PlannedApp[];
  jobs: JobDefinition[];
}

interface ParsedInstall {
  apps: PlannedApp[];
  jobs: JobDefinition[];
}

/**
 * The app's version id, without the label that records the install's options: a change of
 * the `instances` option alone changes that label too, and must scale the app, not roll it.
 */
export function versionOf(app: App): string {
  const { DCOS_PACKAGE_OPTIONS: _options, ...labels } = app.labels;
  return appVersionId({ ...app, labels });
}

export class PlanReader {
  private readonly cache = new Map<string, ParsedInstall>();

  constructor(private readonly logger: Logger) {}

  read(doc: DesiredState): DesiredPlan {
    const apps: PlannedApp[] = [];
    const jobs: JobDefinition[] = [];
    const live = new Set<string>();
    for (const install of doc.installs) {
      const key = `${install.installId}@${install.revision}`;
      live.add(key);
      let parsed = this.cache.get(key);
      if (!parsed) {
        parsed = this.parse(install);
        this.cache.set(key, parsed);
      }
      apps.push(...parsed.apps);
      jobs.push(...parsed.jobs);
    }
    for (const key of this.cache.keys()) if (!live.has(key)) this.cache.delete(key);
    return { apps, jobs };
  }

  private parse(install: DesiredState["installs"][number]): ParsedInstall {
    const plan = install.plan as { apps?: unknown; jobs?: unknown };
    const out: ParsedInstall = { apps: [], jobs: [] };
    const list = (v: unknown) => (Array.isArray(v) ? v : []);
    for (const raw of list(plan.apps)) {
      const parsed = AppSchema.safeParse(raw);
      if (!parsed.success) {
        this.logger.warn("skipping an app of the plan that does not parse", {
          installId: install.installId,
          issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`),
        });
        continue;
      }
      const app: App = parsed.data;
      out.apps.push({ app, version: versionOf(app), installId: install.installId });
    }
    for (const raw of list(plan.jobs)) {
      const parsed = JobSchema.safeParse(raw);
      if (!parsed.success) {
        this.logger.warn("skipping a job of the plan that does not parse", {
          installId: install.installId,
          issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join(".")}: ${i.message}`),
        });
        continue;
      }
      out.jobs.push({ installId: install.installId, appId: install.appId, job: parsed.data });
    }
    return out;
  }
}

/**
 * When this agent first saw each job in a desired state (kept in the local store). The jobs
 * engine counts a job as present from then on (`JobDefinition.since`): installing a job does not
 * run a cron tick that has just passed, nor react to old runs of its parents. Every agent notes
 * sightings on every desired state it receives, holder or not, so an agent that takes the lease
 * over later already knows how long each job has been there.
 */
import type { DesiredState } from "../../gateway/contract/agent.js";
import type { LocalStore } from "./store.js";

const KEY = "jobs-first-seen";

export class JobSightings {
  private seen: Record<string, number> = {};

  constructor(private readonly store: Pick<LocalStore, "value" | "setValue">) {}

  async load(): Promise<void> {
    const value = await this.store.value(KEY);
    if (value && typeof value === "object") this.seen = { ...(value as Record<string, number>) };
  }

  /** Notes the jobs of `doc` not seen before (and forgets jobs that left it). */
  async note(doc: DesiredState, now: number): Promise<void> {
    const ids = new Set<string>();
    for (const install of doc.installs) {
      const jobs = (install.plan as { jobs?: unknown }).jobs;
      if (!Array.isArray(jobs)) continue;
      for (const j of jobs) {
        const id = (j as { id?: unknown } | null)?.id;
        if (typeof id === "string") ids.add(id);
      }
    }
    let changed = false;
    for (const id of ids) {
      if (this.seen[id] === undefined) {
        this.seen[id] = now;
        changed = true;
      }
    }
    for (const id of Object.keys(this.seen)) {
      if (!ids.has(id)) {
        delete this.seen[id];
        changed = true;
      }
    }
    if (changed) await this.store.setValue(KEY, this.seen);
  }

  sinceOf(jobId: string): number | undefined {
    return this.seen[jobId];
  }
}

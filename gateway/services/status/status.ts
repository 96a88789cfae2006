/**
 * The status views (viewer): one install's apps, tasks and jobs, or every install of a
 * cluster, from the rows agents report (tasks, job_runs, deployment_status). Reads only.
 */
import { and, eq, inArray } from "drizzle-orm";
import { requireUser } from "../../auth/principal.js";
import type { ClusterStatus, InstallStatus } from "../../contract/installs.js";
import { agents, deploymentStatus, jobRuns, tasks } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import type { Ctx } from "../../env.js";
import { getClusterFor } from "../clusters/find.js";
import { canonicalAppId } from "../installs/app-ids.js";
import { type CurrentInstall, clusterInstalls, findInstall } from "../installs/rows.js";
import { groupReported, installStatusOf, type Reported } from "./build.js";

const MAX_BOUND = 90;

interface Scope {
  /** App ids as agents may spell them (with and without the leading slash). */
  appIds: string[];
  jobIds: string[];
}

function scopeOf(installs: readonly CurrentInstall[]): Scope {
  const appIds: string[] = [];
  const jobIds: string[] = [];
  for (const { revision } of installs) {
    const plan = revision.plan as { apps?: { id: string }[]; jobs?: { id: string }[] };
    for (const a of plan.apps ?? []) {
      const id = canonicalAppId(a.id);
      appIds.push(id, id.slice(1));
    }
    for (const j of plan.jobs ?? []) jobIds.push(j.id);
  }
  return { appIds, jobIds };
}

/** What agents reported about `scope` (or about the whole cluster when scope is omitted). */
async function readReported(db: Db, clusterId: string, wanted?: Scope): Promise<Reported> {
  // D1 binds at most 100 parameters per query; a very large plan reads the whole cluster instead
  // (the rows are grouped by id afterwards, so extra rows change nothing).
  const scope =
    wanted && Math.max(wanted.appIds.length, wanted.jobIds.length) < MAX_BOUND ? wanted : undefined;
  const byApp = <T extends typeof tasks | typeof deploymentStatus>(t: T) =>
    scope ? and(eq(t.clusterId, clusterId), inArray(t.appId, scope.appIds)) : eq(t.clusterId, clusterId);
  const none = scope !== undefined && scope.appIds.length === 0;
  const noJobs = scope !== undefined && scope.jobIds.length === 0;
  const [taskRows, runRows, deploymentRows, agentRows] = await Promise.all([
    none ? [] : db.select().from(tasks).where(byApp(tasks)),
    noJobs
      ? []
      : db
          .select()
          .from(jobRuns)
          .where(
            scope
              ? and(eq(jobRuns.clusterId, clusterId), inArray(jobRuns.jobId, scope.jobIds))
              : eq(jobRuns.clusterId, clusterId),
          ),
    none ? [] : db.select().from(deploymentStatus).where(byApp(deploymentStatus)),
    db
      .select({ id: agents.id, hostname: agents.hostname })
      .from(agents)
      .where(eq(agents.clusterId, clusterId)),
  ]);
  return groupReported(taskRows, runRows, deploymentRows, agentRows);
}

/** `GET /v1/clusters/{cluster}/installs/{appId}/status`. */
export async function installStatus(ctx: Ctx, clusterRef: string, appId: string): Promise<InstallStatus> {
  const user = requireUser(ctx.principal, "viewer");
  const { db } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const current = await findInstall(db, cluster, appId);
  return installStatusOf(current, await readReported(db, cluster.id, scopeOf([current])));
}

/** `GET /v1/clusters/{cluster}/status`: every install of the cluster. */
export async function clusterStatus(ctx: Ctx, clusterRef: string): Promise<ClusterStatus> {
  const user = requireUser(ctx.principal, "viewer");
  const { db } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const [installs, reported] = await Promise.all([
    clusterInstalls(db, cluster.id),
    readReported(db, cluster.id),
  ]);
  const statuses = installs.map((i) => installStatusOf(i, reported));
  return {
    cluster: { id: cluster.id, name: cluster.name },
    desiredRevision: cluster.desiredRevision,
    converged: statuses.every((s) => s.converged),
    installs: statuses,
  };
}

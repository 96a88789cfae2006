/**
 * Installing a package on a cluster: choose the version, resolve its dependencies (reusing
 * installs already on the cluster), render every new install's plan, then write all of them
 * with their audit entries and one desired-revision bump in a single batch. Every check runs
 * before the write, so a refused request leaves nothing behind.
 */
import { actorOf, requireUser } from "../../auth/principal.js";
import { newId } from "../../auth/secrets.js";
import type { InstallInput, InstallResult } from "../../contract/installs.js";
import { installRevisions, installs } from "../../db/schema.js";
import type { Db } from "../../deps.js";
import type { Ctx } from "../../env.js";
import { conflict } from "../../errors.js";
import { auditStatement } from "../audit.js";
import type { ClusterRow } from "../clusters/find.js";
import { getClusterFor } from "../clusters/find.js";
import { assertNoIdClash, canonicalAppId, type Occupant } from "./app-ids.js";
import { type Candidate, renderForInstall, selectCandidate } from "./catalog-lookup.js";
import { commitClusterChange } from "./commit.js";
import { resolveInstallSteps } from "./dependencies.js";
import { type CurrentInstall, clusterInstalls, occupantsOf, type RevisionRow, storedPlan } from "./rows.js";
import { installDetail } from "./views.js";

/** A new install of the request, rendered and ready to write. */
interface NewInstall extends CurrentInstall {
  candidate: Candidate;
}

const alreadyInstalled = (cluster: ClusterRow, appId: string, by: CurrentInstall | NewInstall) =>
  conflict(
    `${appId} is already installed on cluster ${cluster.name} (package ${by.install.packageName} ${by.revision.packageVersion}); choose another appId, or update or uninstall it`,
    "ALREADY_INSTALLED",
    { appId, package: by.install.packageName, version: by.revision.packageVersion },
  );

/** `POST /v1/clusters/{cluster}/installs` (operator). */
export async function installPackage(
  ctx: Ctx,
  clusterRef: string,
  input: InstallInput,
): Promise<InstallResult> {
  const user = requireUser(ctx.principal, "operator");
  const { db, clock } = ctx.deps;
  const cluster = await getClusterFor(db, user, clusterRef);
  const [snapshot, existing] = await Promise.all([ctx.catalog.get(), clusterInstalls(db, cluster.id)]);
  const taken = new Map<string, CurrentInstall>(existing.map((e) => [e.install.appId, e]));
  if (input.appId !== undefined) {
    const same = taken.get(canonicalAppId(input.appId));
    if (same) throw alreadyInstalled(cluster, canonicalAppId(input.appId), same);
  }
  const root = selectCandidate(snapshot, input.package, input.version);
  const steps = resolveInstallSteps(snapshot, root, existing);

  const now = clock.now();
  const createdBy = actorOf(user);
  const idOfPackage = new Map<string, string>();
  const occupants: Occupant[] = occupantsOf(existing);
  const news: NewInstall[] = [];
  const outcomes: InstallResult["dependencies"] = [];
  for (const step of steps) {
    if (step.kind === "reuse") {
      const { install, revision } = step.existing;
      idOfPackage.set(install.packageName, install.id);
      outcomes.push({
        package: install.packageName,
        version: revision.packageVersion,
        appId: install.appId,
        action: "reused",
      });
      continue;
    }
    const { candidate } = step;
    // Dependencies are installed with their defaults; options and appId are the request's own.
    const rendered = renderForInstall(
      candidate.revision,
      step.root ? input.options : undefined,
      step.root ? input.appId : undefined,
    );
    const holder = taken.get(rendered.appId);
    if (holder) throw alreadyInstalled(cluster, rendered.appId, holder);
    assertNoIdClash(rendered.appId, rendered.plan, occupants);
    const id = newId("ins_");
    idOfPackage.set(candidate.name, id);
    const install = {
      id,
      clusterId: cluster.id,
      appId: rendered.appId,
      packageName: candidate.name,
      currentRevision: 1,
      createdAt: now,
      updatedAt: now,
    };
    const revision: RevisionRow = {
      installId: id,
      revision: 1,
      packageVersion: candidate.version,
      releaseVersion: candidate.releaseVersion,
      packageRevisionId: candidate.revision.id,
      userOptions: rendered.options.user,
      resolvedOptions: rendered.options.resolved,
      plan: storedPlan(rendered.plan),
      reason: "install",
      // Every dependency was placed before its dependents, so its id is known here.
      dependsOn: Object.keys(candidate.dependencies).map((name) => idOfPackage.get(name)!),
      restoredRevision: null,
      createdAt: now,
      createdBy,
    };
    const added: NewInstall = { install, revision, candidate };
    news.push(added);
    taken.set(rendered.appId, added);
    occupants.push({ appId: rendered.appId, plan: rendered.plan });
    if (!step.root) {
      outcomes.push({
        package: candidate.name,
        version: candidate.version,
        appId: rendered.appId,
        action: "installed",
      });
    }
  }

  const target = news.at(-1)!;
  const statements = news.flatMap((n) => [
    db.insert(installs).values(n.install),
    db.insert(installRevisions).values(n.revision),
    auditStatement(db, user, now, {
      action: "install.create",
      target: n.install.id,
      details: {
        clusterId: cluster.id,
        appId: n.install.appId,
        package: n.install.packageName,
        version: n.revision.packageVersion,
        revision: 1,
        ...(n !== target && { dependencyOf: target.install.appId }),
        ...(n === target && { dependencies: outcomes }),
      },
    }),
  ]);
  const desiredRevision = await commitOrExplain(ctx, cluster, news, statements);
  const { definition } = target.candidate.revision;
  return {
    ...installDetail(target, {
      history: [target.revision],
      others: [...existing, ...news],
      postInstallNotes: definition.metadata.postInstallNotes ?? null,
    }),
    desiredRevision,
    dependencies: outcomes,
  };
}

/** Commits; a concurrent install of the same app id loses on the unique index and gets 409. */
async function commitOrExplain(
  ctx: Ctx,
  cluster: ClusterRow,
  news: readonly NewInstall[],
  statements: Parameters<typeof commitClusterChange>[2],
): Promise<number> {
  try {
    return (await commitClusterChange(ctx.deps, cluster.id, statements)).desiredRevision;
  } catch (e) {
    const winner = await installedMeanwhile(ctx.deps.db, cluster.id, news);
    if (winner) throw alreadyInstalled(cluster, winner.install.appId, winner);
    throw e;
  }
}

async function installedMeanwhile(db: Db, clusterId: string, news: readonly NewInstall[]) {
  const appIds = new Set(news.map((n) => n.install.appId));
  return (await clusterInstalls(db, clusterId)).find((e) => appIds.has(e.install.appId));
}

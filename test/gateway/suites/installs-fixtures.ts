/**
 * Test data for the install and status suites, built in code (runtime-neutral). Packages go
 * straight into the catalog tables through the harness's `db` seam, since suites must not
 * depend on the catalog routes; seed them before the first request that reads the catalog
 * (on Node the app keeps its catalog snapshot for its lifetime). Tokens, agents and the rows
 * agents report are seeded the same way.
 */

import { hashSecret, newId, newSecret } from "../../../gateway/auth/secrets.js";
import {
  agents,
  apiTokens,
  deploymentStatus,
  jobRuns,
  packageRevisions,
  repositories,
  tasks,
} from "../../../gateway/db/schema.js";
import type { Db } from "../../../gateway/deps.js";
import { bumpCatalogVersion } from "../../../gateway/services/catalog/catalog-cache.js";
import { toIndexEntry } from "../../../universe/import/index-entry.js";
import { parseRevisionParts } from "../../../universe/import/revision.js";
import type { PackageDefinition } from "../../../universe/models/package.js";
import { type Harness, post, unique } from "../harness.js";

export function dbOf(h: Harness): Db {
  if (!h.db) throw new Error("this suite needs the harness's db seam (Harness.db)");
  return h.db;
}

/** Options every test service takes: a name (the package's by default), resources, instances. */
export const serviceConfig = (name: string) => ({
  type: "object",
  properties: {
    service: {
      type: "object",
      properties: {
        name: { type: "string", default: name },
        cpus: { type: "number", default: 0.5, minimum: 0.1 },
        mem: { type: "integer", default: 256, minimum: 32 },
        instances: { type: "integer", default: 1, minimum: 0 },
      },
      additionalProperties: false,
    },
  },
});

const SERVICE_TEMPLATE = `{"id": "{{service.name}}", "cmd": "sleep 3600", "cpus": {{service.cpus}}, "mem": {{service.mem}}, "instances": {{service.instances}}, "healthChecks": [{"protocol": "TCP"}]}`;

export interface PackageSpec {
  name: string;
  version: string;
  releaseVersion?: number;
  packagingVersion?: "4.0" | "flotilla/1";
  dependencies?: Record<string, string>;
  upgradesFrom?: string[];
  downgradesTo?: string[];
  postInstallNotes?: string;
  /** Defaults to a one-app service taking serviceConfig options; `jobs` adds a jobs template. */
  marathon?: string | null;
  jobs?: string;
}

/** A checked package definition, as the catalog stores it. */
export function pkg(spec: PackageSpec): PackageDefinition {
  const {
    name,
    version,
    marathon,
    jobs,
    releaseVersion = 0,
    packagingVersion = "flotilla/1",
    ...rest
  } = spec;
  const metadata = {
    packagingVersion,
    name,
    version,
    maintainer: "t@example.test",
    description: `${name} for tests`,
    tags: ["test"],
    ...rest,
  };
  const templates = {
    ...(marathon !== null && { marathon: marathon ?? SERVICE_TEMPLATE }),
    ...(jobs !== undefined && { jobs }),
  };
  const config = marathon === null ? undefined : serviceConfig(name);
  return parseRevisionParts(
    { metadata, templates, ...(config && { config }) },
    { releaseVersion, path: name },
  );
}

/** A repository holding `defs`, written with a catalog version bump as the catalog API would. */
export async function seedCatalog(h: Harness, defs: PackageDefinition[]): Promise<{ uri: string }> {
  const db = dbOf(h);
  const now = h.clock.now();
  const repo = {
    id: newId("repo_"),
    name: unique("test-repo"),
    uri: `https://repo.example.test/${unique("r")}`,
    kind: "universe-index" as const,
    priority: 1000,
    createdAt: now,
  };
  await db.batch([
    db.insert(repositories).values(repo),
    ...defs.map((def) =>
      db.insert(packageRevisions).values({
        id: newId("pr_"),
        repositoryId: repo.id,
        name: def.metadata.name,
        version: def.metadata.version,
        releaseVersion: def.releaseVersion,
        digest: null,
        entry: toIndexEntry(def),
        createdAt: now,
      }),
    ),
    bumpCatalogVersion(db),
  ]);
  return { uri: repo.uri };
}

/** An API token of `role`, optionally limited to some clusters (ids). */
export async function seedToken(
  h: Harness,
  role: "viewer" | "operator" | "admin",
  clusters: string[] | null = null,
) {
  const secret = newSecret("api");
  await dbOf(h)
    .insert(apiTokens)
    .values({
      id: newId("tok_"),
      name: unique(role),
      secretHash: await hashSecret(secret),
      role,
      clusters,
      createdAt: h.clock.now(),
      createdBy: "test",
    });
  return secret;
}

export async function newCluster(h: Harness): Promise<{ id: string; name: string; desiredRevision: number }> {
  return h.json("/v1/clusters", post({ name: unique("cl") }), 201);
}

export async function desiredRevisionOf(h: Harness, cluster: string): Promise<number> {
  return (await h.json<{ desiredRevision: number }>(`/v1/clusters/${cluster}`)).desiredRevision;
}

export async function seedAgent(h: Harness, clusterId: string, hostname: string): Promise<string> {
  const id = newId("agt_");
  await dbOf(h)
    .insert(agents)
    .values({
      id,
      clusterId,
      hostname,
      secretHash: await hashSecret(newSecret("agent")),
      inventory: null,
      lastSeenAt: h.clock.now(),
      createdAt: h.clock.now(),
    });
  return id;
}

type TaskSeed = Pick<typeof tasks.$inferInsert, "taskId" | "appId" | "agentId" | "state"> &
  Partial<typeof tasks.$inferInsert>;
type RunSeed = Pick<typeof jobRuns.$inferInsert, "runId" | "jobId" | "state"> &
  Partial<typeof jobRuns.$inferInsert>;

/** Rows as agents' status updates would have left them. */
export async function seedReported(
  h: Harness,
  clusterId: string,
  rows: {
    tasks?: TaskSeed[];
    runs?: RunSeed[];
    waiting?: { appId: string; reason: string; step?: string }[];
  },
) {
  const db = dbOf(h);
  const now = h.clock.now();
  for (const t of rows.tasks ?? []) {
    await db
      .insert(tasks)
      .values({ clusterId, healthy: null, ports: [], reportedAt: now, updatedAt: now, ...t });
  }
  for (const r of rows.runs ?? []) await db.insert(jobRuns).values({ clusterId, reportedAt: now, ...r });
  for (const w of rows.waiting ?? []) {
    await db
      .insert(deploymentStatus)
      .values({ clusterId, appId: w.appId, waitingReason: w.reason, step: w.step ?? null, reportedAt: now });
  }
}

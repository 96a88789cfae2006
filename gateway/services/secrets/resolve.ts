/**
 * The agent side of the secret store: an agent asks for the values of the paths its tasks
 * need at launch. A path is answered only when an assignment of the calling agent (not marked
 * to be killed) declares it as a source in its spec's `secrets`; any other path is refused
 * with the same answer whether or not it exists. The specs are the lease holder's (an agent
 * of the same cluster), built from the install plans, whose secret references were checked
 * when they were rendered. Each read is audited (paths only).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { SecretsDeclSchema, secretPathOf } from "../../../universe/models/secrets.js";
import { requireAgent } from "../../auth/principal.js";
import type { ResolveSecretsRequest, ResolveSecretsResponse } from "../../contract/agent.js";
import { assignments, secrets } from "../../db/schema.js";
import type { Ctx } from "../../env.js";
import { ApiError } from "../../errors.js";
import { SecretOpenError } from "../../lib/secret-box.js";
import { auditStatement } from "../audit.js";
import { secretBoxOf } from "./store-key.js";

const SpecSecrets = z.object({
  secrets: SecretsDeclSchema.optional(),
});

/** The store paths that the assignment specs declare as secret sources. */
function referencedPaths(specs: readonly Record<string, unknown>[]): Set<string> {
  const paths = new Set<string>();
  for (const spec of specs) {
    const parsed = SpecSecrets.safeParse(spec);
    if (!parsed.success) continue;
    for (const { source } of Object.values(parsed.data.secrets ?? {})) {
      const path = secretPathOf(source);
      if (path !== undefined) paths.add(path);
    }
  }
  return paths;
}

export async function resolveSecrets(
  ctx: Ctx,
  clusterId: string,
  req: ResolveSecretsRequest,
): Promise<ResolveSecretsResponse> {
  const agent = requireAgent(ctx.principal, clusterId);
  const { db, clock, logger } = ctx.deps;
  const box = secretBoxOf(ctx.deps);
  const paths = [...new Set(req.paths)];
  const assigned = await db
    .select({ spec: assignments.spec })
    .from(assignments)
    .where(
      and(
        eq(assignments.clusterId, clusterId),
        eq(assignments.agentId, agent.agentId),
        isNull(assignments.killRequestedAt),
      ),
    );
  const referenced = referencedPaths(assigned.map((a) => a.spec));
  const refused = paths.filter((p) => !referenced.has(p));
  if (refused.length > 0)
    throw new ApiError(
      "FORBIDDEN",
      `no task assigned to this agent refers to secret ${refused.join(", ")}: an agent reads only the secrets its own assignments declare`,
      "SECRET_NOT_REFERENCED",
      { paths: refused },
    );
  // One JSON parameter for the list: D1 caps bound parameters at 100.
  const rows = await db
    .select()
    .from(secrets)
    .where(
      and(
        eq(secrets.clusterId, clusterId),
        sql`${secrets.path} in (select value from json_each(${JSON.stringify(paths)}))`,
      ),
    );
  const missing = paths.filter((p) => !rows.some((r) => r.path === p));
  if (missing.length > 0)
    throw new ApiError(
      "NOT_FOUND",
      `secret ${missing.join(", ")} is not in the cluster's store: set it with flotilla secret set <cluster> <path>`,
      "SECRET_NOT_FOUND",
      { paths: missing },
    );
  const values: Record<string, string> = {};
  for (const row of rows) {
    try {
      values[row.path] = await box.open(row, { clusterId, path: row.path });
    } catch (e) {
      if (!(e instanceof SecretOpenError)) throw e;
      logger.error("secret cannot be decrypted", { clusterId, path: row.path, reason: e.reason });
      throw new ApiError(
        "UNAVAILABLE",
        `secret ${row.path} cannot be read: ${e.message}; ${
          e.reason === "KEY_MISMATCH"
            ? "start the gateway with the FLOTILLA_SECRETS_KEY it was written with, or set the secret again"
            : "set the secret again"
        }`,
        e.reason === "KEY_MISMATCH" ? "SECRETS_KEY_MISMATCH" : "SECRET_UNDECRYPTABLE",
        { path: row.path },
      );
    }
  }
  await auditStatement(db, agent, clock.now(), {
    action: "secret.read",
    target: `${clusterId}/secrets`,
    details: { clusterId, paths },
  });
  return { values };
}

/**
 * Writes one change of what a cluster should run: the change's statements, their audit
 * entries and one desired-revision bump in a single db.batch(), so that either all of it lands
 * or none; then wakes the cluster's long-polling agents.
 */
import type { BatchItem } from "drizzle-orm/batch";
import type { Deps } from "../../deps.js";
import { notFound } from "../../errors.js";
import { announceRevision, bumpDesiredRevision } from "../clusters/desired-revision.js";

type Statement = BatchItem<"sqlite">;

/** Runs `statements` plus the bump atomically; returns the batch results and the new revision. */
export async function commitClusterChange(
  deps: Deps,
  clusterId: string,
  statements: readonly Statement[],
): Promise<{ results: unknown[]; desiredRevision: number }> {
  const { db } = deps;
  const all: Statement[] = [...statements, bumpDesiredRevision(db, clusterId)];
  const results = (await db.batch(all as [Statement, ...Statement[]])) as unknown[];
  const bumped = results.at(-1) as { desiredRevision: number }[] | undefined;
  const desiredRevision = bumped?.[0]?.desiredRevision;
  // The cluster row went away under us (deleted concurrently): nothing of it is left to run.
  if (desiredRevision === undefined) throw notFound(`cluster ${clusterId} (it was deleted meanwhile)`);
  announceRevision(deps, clusterId, desiredRevision);
  return { results, desiredRevision };
}

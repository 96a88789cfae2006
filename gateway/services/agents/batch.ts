/** db.batch() over a list built at run time (drizzle types batches as non-empty tuples). */
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "../../deps.js";

/** Runs the statements as one atomic batch; an empty list runs nothing. */
export async function runBatch(db: Db, items: BatchItem<"sqlite">[]): Promise<unknown[]> {
  if (items.length === 0) return [];
  return db.batch(items as unknown as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]]);
}

/**
 * The first admin token on Node. With FLOTILLA_ADMIN_TOKEN set, that token is the bootstrap
 * admin. Without it, the first start creates an admin API token, stores only its hash and
 * returns it so the entry can print it once; later starts find the row and print nothing.
 */
import { eq } from "drizzle-orm";
import { hashSecret, newId, newSecret } from "../../auth/secrets.js";
import { apiTokens } from "../../db/schema.js";
import type { Db } from "../../deps.js";

export const BOOTSTRAP_TOKEN_NAME = "bootstrap-admin";

/** Returns the new token on first start, undefined when one already exists. */
export async function ensureBootstrapAdmin(db: Db, now: number): Promise<string | undefined> {
  const [existing] = await db
    .select({ id: apiTokens.id })
    .from(apiTokens)
    .where(eq(apiTokens.name, BOOTSTRAP_TOKEN_NAME));
  if (existing) return undefined;
  const token = newSecret("api");
  await db.insert(apiTokens).values({
    id: newId("tok_"),
    name: BOOTSTRAP_TOKEN_NAME,
    secretHash: await hashSecret(token),
    role: "admin",
    clusters: null,
    createdAt: now,
    createdBy: "gateway first start",
  });
  return token;
}

/** Handing out a published bundle by its digest; any viewer may download. */
import { requireUser } from "../../auth/principal.js";
import type { Ctx } from "../../env.js";
import { notFound } from "../../errors.js";
import { loadBundle, type StoredBundle } from "./bundle-store.js";

export async function downloadBundle(ctx: Ctx, digest: string): Promise<StoredBundle> {
  requireUser(ctx.principal, "viewer");
  const bundle = await loadBundle(ctx.deps.db, digest);
  if (!bundle) throw notFound(`bundle ${digest}`);
  return bundle;
}

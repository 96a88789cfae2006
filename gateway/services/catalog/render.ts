/**
 * The render dry run: what installing a package version with these options would run, without
 * writing anything. Options are resolved as Cosmos did (defaults, the user's options merged
 * over them, validated against config.json); a failure is a 400 whose `details.errors` lists
 * every failing field with its JSON pointer, rule and value.
 */
import { renderInstallPlan } from "../../../universe/render/index.js";
import { requireUser } from "../../auth/principal.js";
import type { Ctx } from "../../env.js";
import { repositoryRef, selectRevision, sourceOf } from "./catalog-select.js";

export interface RenderInput {
  version?: string | undefined;
  includePrerelease?: boolean | undefined;
  options?: Record<string, unknown> | undefined;
  appId?: string | undefined;
}

/** Renders one version of `name`; viewer is enough, since nothing is stored. */
export async function renderPackage(ctx: Ctx, name: string, input: RenderInput) {
  requireUser(ctx.principal, "viewer");
  const snapshot = await ctx.catalog.get();
  const rev = selectRevision(snapshot, name, input.version, input);
  const source = sourceOf(rev);
  const { plan, options } = renderInstallPlan(rev.definition, {
    ...(input.options !== undefined && { options: input.options }),
    ...(input.appId !== undefined && { appId: input.appId }),
    ...(source !== undefined && { source }),
  });
  return {
    package: {
      name: plan.package.name,
      version: plan.package.version,
      releaseVersion: plan.package.releaseVersion,
      repository: repositoryRef(rev),
    },
    plan: plan as unknown as Record<string, unknown>,
    options,
  };
}

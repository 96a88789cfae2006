/**
 * Renders one package revision with options into an install plan: Cosmos's render (defaults,
 * merge, validation, mustache with its rules, the package labels, appId last) extended to
 * Flotilla's group and jobs templates. The same input always yields a deep-equal plan.
 */
import { textToBase64 } from "../encoding.js";
import { UniverseError } from "../errors.js";
import { toIndexEntry } from "../import/index-entry.js";
import { type App, parseApp } from "../models/app.js";
import { checkJobDependencies, type Job, parseJob } from "../models/job.js";
import type { PackageDefinition } from "../models/package.js";
import type { InstallPlan } from "../models/plan.js";
import { checkSecretReferences } from "../models/secrets.js";
import { isJsonObject, mergeOptions, setOwn } from "../options/merge.js";
import { type ResolvedOptions, resolveOptions } from "../options/resolve.js";
import { flattenGroup, resolveAppPath } from "./group.js";
import { renderJsonObject } from "./rendered-json.js";

/** What an install asks for besides the package: options, an app id, where it came from. */
export interface RenderInput {
  /** The user's options (a JSON object); absent means none. */
  options?: unknown;
  /** Replaces the app id of the marathon template and the top group id of the group template. */
  appId?: string;
  /** The repository URI the package came from (label DCOS_PACKAGE_SOURCE). */
  source?: string;
}

/** The plan, and the options it was rendered with (the user's are stored with the install). */
export interface RenderedPlan {
  plan: InstallPlan;
  options: ResolvedOptions;
}

const FILES = {
  marathon: "marathon.json.mustache",
  group: "group.json.mustache",
  jobs: "jobs.json.mustache",
};

/** The labels every rendered app and job carries; they override the template's own. */
function packageLabels(def: PackageDefinition, user: Record<string, unknown>, source?: string) {
  const labels: Record<string, string> = {
    DCOS_PACKAGE_NAME: def.metadata.name,
    DCOS_PACKAGE_VERSION: def.metadata.version,
  };
  if (source !== undefined) labels.DCOS_PACKAGE_SOURCE = source;
  labels.DCOS_PACKAGE_OPTIONS = textToBase64(JSON.stringify(user));
  labels.DCOS_PACKAGE_DEFINITION = textToBase64(JSON.stringify(toIndexEntry(def)));
  return labels;
}

/** `labels` that are not an object are left for parseApp/parseJob to reject with their path. */
function withLabels(item: Record<string, unknown>, labels: Record<string, string>): Record<string, unknown> {
  if (item.labels !== undefined && !isJsonObject(item.labels)) return item;
  return { ...item, labels: { ...item.labels, ...labels } };
}

/** Marathon treats `web` and `/web` as the same app; an id it would reject is compared as written. */
function canonicalId(id: string): string {
  try {
    return resolveAppPath("/", id);
  } catch {
    return id;
  }
}

/** Throws INVALID_PLAN naming the first id that appears twice. */
function assertUnique(ids: readonly string[], what: "app" | "job"): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id))
      throw new UniverseError("INVALID_PLAN", `${what} id ${id} is used twice in the plan`, { id });
    seen.add(id);
  }
}

/**
 * The install plan of `def` with `input.options`, and the options it was rendered with.
 * Throws OPTIONS_INVALID / OPTIONS_NOT_ALLOWED, TEMPLATE_ERROR, TEMPLATE_NOT_OBJECT, or
 * INVALID_PLAN (an app or job that does not parse, duplicate ids, broken job dependencies, an
 * env value naming a secret that the app's or job's `secrets` does not declare).
 * @example renderInstallPlan(def, { options: { service: { name: "clock" } }, appId: "/team/clock" })
 */
export function renderInstallPlan(def: PackageDefinition, input: RenderInput = {}): RenderedPlan {
  const options = resolveOptions(def, input.options);
  // `resource` is deep-merged on top, as Cosmos did: resource.json wins every key it has, and
  // an option object named `resource` (some config.json declare one) keeps its other keys.
  const context: Record<string, unknown> = { ...options.resolved };
  const fromOptions = Object.hasOwn(context, "resource") ? context.resource : undefined;
  const resource = def.resource ?? {};
  setOwn(context, "resource", isJsonObject(fromOptions) ? mergeOptions(fromOptions, resource) : resource);
  const labels = packageLabels(def, options.user, input.source);
  const { templates } = def;
  const warnings: string[] = [];
  const apps: App[] = [];
  const jobs: Job[] = [];
  const addApp = (raw: Record<string, unknown>, where: string) => {
    const parsed = parseApp(raw, where);
    checkSecretReferences(parsed.value.env, parsed.value.secrets, `${where} (${parsed.value.id})`, "");
    apps.push(parsed.value);
    warnings.push(...parsed.warnings);
  };

  if (templates.marathon !== undefined) {
    const app = withLabels(renderJsonObject(templates.marathon, context, FILES.marathon), labels);
    addApp(input.appId === undefined ? app : { ...app, id: input.appId }, FILES.marathon);
  }
  if (templates.group !== undefined) {
    const group = renderJsonObject(templates.group, context, FILES.group);
    for (const { app, where } of flattenGroup(group, input.appId, FILES.group, warnings)) {
      addApp(withLabels(app, labels), `${FILES.group} ${where}`);
    }
  }
  if (templates.jobs !== undefined) {
    const rendered = renderJsonObject(templates.jobs, context, FILES.jobs);
    const many = Array.isArray(rendered.jobs);
    const items: unknown[] = many ? (rendered.jobs as unknown[]) : [rendered];
    items.forEach((item, i) => {
      const where = many ? `${FILES.jobs} jobs[${i}]` : FILES.jobs;
      if (!isJsonObject(item)) throw new UniverseError("INVALID_PLAN", `${where} must be a JSON object`);
      const parsed = parseJob(withLabels(item, labels), where);
      const { run } = parsed.value;
      checkSecretReferences(run.env, run.secrets, `${where} (${parsed.value.id})`, "run.");
      jobs.push(parsed.value);
      warnings.push(...parsed.warnings);
    });
  }
  if (templates.marathon === undefined && templates.group === undefined && templates.jobs === undefined) {
    warnings.push(
      `${def.metadata.name} has no marathon, group or jobs template: the install runs nothing (CLI-only)`,
    );
  } else if (apps.length === 0 && jobs.length === 0) {
    warnings.push(`${def.metadata.name}: the templates rendered no apps and no jobs`);
  }

  assertUnique(
    apps.map((a) => canonicalId(a.id)),
    "app",
  );
  assertUnique(
    jobs.map((j) => j.id),
    "job",
  );
  checkJobDependencies(jobs);

  const { name, version } = def.metadata;
  return {
    plan: { package: { name, version, releaseVersion: def.releaseVersion }, apps, jobs, warnings },
    options,
  };
}

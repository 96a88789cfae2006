/**
 * Flattens a rendered Marathon group (`{id, apps: […], groups: […]}`) into apps with absolute
 * ids, resolving relative ids against their group the way Marathon did (`web` in `/prod`
 * is `/prod/web`; `../db` climbs one group). App dependencies are resolved the same way so
 * they still name the right apps once the groups are gone.
 */
import { UniverseError } from "../errors.js";
import { isJsonObject } from "../options/merge.js";

/** One app of a flattened group, its id already absolute. */
export interface GroupApp {
  app: Record<string, unknown>;
  /** Where the app sits in the template, for messages (`groups[0].apps[1]`). */
  where: string;
}

const GROUP_KEYS = new Set(["id", "apps", "groups"]);

/** The absolute, canonical form of `id` seen from group `base` (itself absolute). */
export function resolveAppPath(base: string, id: string, file = "group"): string {
  const parts = id.startsWith("/") ? [] : base.split("/").filter(Boolean);
  for (const segment of id.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (parts.length === 0)
        throw new UniverseError("INVALID_PLAN", `${file}: id "${id}" climbs above the root group`);
      parts.pop();
    } else parts.push(segment);
  }
  return `/${parts.join("/")}`;
}

function list(value: unknown, what: string, file: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new UniverseError("INVALID_PLAN", `${file}: ${what} must be an array`);
  return value;
}

/**
 * The apps of a group, depth first (a group's own apps before its subgroups'). `rootId`
 * (the install's appId) replaces the top group's id. Unknown group fields become warnings.
 */
export function flattenGroup(
  group: Record<string, unknown>,
  rootId: string | undefined,
  file: string,
  warnings: string[],
): GroupApp[] {
  const id = rootId ?? group.id;
  if (typeof id !== "string" || id === "") {
    throw new UniverseError("INVALID_PLAN", `${file}: the group needs an "id" (or install it with an appId)`);
  }
  const out: GroupApp[] = [];
  const walk = (g: Record<string, unknown>, path: string, where: string): void => {
    const label = where || "the top group";
    for (const key of Object.keys(g)) {
      if (!GROUP_KEYS.has(key)) warnings.push(`${file}: field "${key}" of ${label} is ignored`);
    }
    list(g.apps, `apps of ${label}`, file).forEach((app, i) => {
      const at = `${where ? `${where}.` : ""}apps[${i}]`;
      if (!isJsonObject(app)) throw new UniverseError("INVALID_PLAN", `${file}: ${at} must be a JSON object`);
      const resolved: Record<string, unknown> = { ...app };
      if (typeof app.id === "string") resolved.id = resolveAppPath(path, app.id, file);
      if (Array.isArray(app.dependencies)) {
        resolved.dependencies = app.dependencies.map((d) =>
          typeof d === "string" ? resolveAppPath(path, d, file) : d,
        );
      }
      out.push({ app: resolved, where: at });
    });
    list(g.groups, `groups of ${label}`, file).forEach((sub, i) => {
      const at = `${where ? `${where}.` : ""}groups[${i}]`;
      if (!isJsonObject(sub) || typeof sub.id !== "string" || sub.id === "") {
        throw new UniverseError("INVALID_PLAN", `${file}: ${at} must be a JSON object with an "id"`);
      }
      walk(sub, resolveAppPath(path, sub.id, file), at);
    });
  };
  walk(group, resolveAppPath("/", id, file), "");
  return out;
}

/**
 * What a Marathon app asks of a node: fixed-point resources, host ports, placement strategy,
 * plus the app's version id (which ignores `instances`, so that a change of instances alone
 * scales instead of rolling) and the PORT environment a launched task gets.
 */
import { type App, appPortDefinitions } from "../../universe/models/app.js";
import type { PlacementStrategy, PortDemand } from "./placement-group.js";
import { type Resources, toFixed } from "./resources.js";

/** Label that selects an app's placement strategy: `spread`, or `binpack` (the default). */
export const PLACEMENT_LABEL = "FLOTILLA_PLACEMENT";

/** Fixed-point resources of one instance. */
export function appResources(app: App): Resources {
  return toFixed({ cpus: app.cpus, mem: app.mem, disk: app.disk, gpus: app.gpus });
}

/**
 * Host ports of one instance. With Docker port mappings: `hostPort` 0 or absent means any
 * port, a number means exactly that one (Marathon's BRIDGE rules). Otherwise the port
 * definitions: any port each, unless `requirePorts` makes the declared non-zero ports exact.
 */
export function appPortDemand(app: App): PortDemand {
  const mappings = app.container?.docker?.portMappings ?? app.container?.portMappings;
  const exact: number[] = [];
  let any = 0;
  if (mappings && mappings.length > 0) {
    for (const m of mappings) {
      const hostPort = (m as { hostPort?: unknown }).hostPort;
      if (typeof hostPort === "number" && hostPort > 0) exact.push(hostPort);
      else any++;
    }
    return { any, exact };
  }
  for (const def of appPortDefinitions(app)) {
    if (app.requirePorts && def.port > 0) exact.push(def.port);
    else any++;
  }
  return { any, exact };
}

/**
 * The app's placement strategy, from the `FLOTILLA_PLACEMENT` label (`spread` | `binpack`,
 * `bin-pack` accepted). A label rather than a new app field because labels are typed in the
 * Marathon format and survive every tool that round-trips app JSON; an unknown field would be
 * reported as ignored by the app parser.
 */
export function appStrategy(app: { labels?: Readonly<Record<string, string>> }): PlacementStrategy {
  const v = app.labels?.[PLACEMENT_LABEL]?.trim().toLowerCase();
  return v === "spread" ? "spread" : "binpack";
}

/**
 * A version id of the app's configuration without `instances` (FNV-1a 64 of its canonical
 * JSON, hex). Two apps differing only in instances share it, so the planner scales them.
 */
export function appVersionId(app: App): string {
  const { instances: _ignored, ...rest } = app;
  return fnv1a64(canonicalJson(rest));
}

/**
 * The environment describing a task's host ports: `PORT0..n`, `PORT_<NAME>` for named port
 * definitions, and `PORTS` (comma-separated), as Marathon exports them.
 */
export function portEnvironment(app: App, ports: readonly number[]): Record<string, string> {
  const env: Record<string, string> = {};
  const defs = appPortDefinitions(app);
  ports.forEach((p, i) => {
    env[`PORT${i}`] = String(p);
    const name = defs[i]?.name;
    if (name) env[`PORT_${name.toUpperCase().replace(/[^A-Z0-9_]/g, "_")}`] = String(p);
  });
  if (ports.length > 0) {
    env.PORT = String(ports[0]);
    env.PORTS = ports.join(",");
  }
  return env;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, "0");
}

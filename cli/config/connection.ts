/**
 * Which gateway, token and cluster a command uses. Each comes from the first of: the flag,
 * the environment (FLOTILLA_GATEWAY, FLOTILLA_TOKEN, FLOTILLA_CLUSTER), the config file.
 */
import { usageError } from "../errors.js";
import type { CliHost } from "../host.js";
import { configPath, readConfig } from "./file.js";

export type Source = "flag" | "env" | "config";

export interface Setting {
  value: string;
  source: Source;
}

export interface Connection {
  gateway: Setting | undefined;
  token: Setting | undefined;
  cluster: Setting | undefined;
  configPath: string | undefined;
}

interface ConnectionFlags {
  gateway?: string | undefined;
  token?: string | undefined;
  cluster?: string | undefined;
}

function pick(flag: string | undefined, env: string | undefined, file: string | undefined) {
  if (flag) return { value: flag, source: "flag" as const };
  if (env) return { value: env, source: "env" as const };
  if (file) return { value: file, source: "config" as const };
  return undefined;
}

export async function resolveConnection(host: CliHost, flags: ConnectionFlags): Promise<Connection> {
  const path = configPath(host);
  const file = await readConfig(path);
  const gateway = pick(flags.gateway, host.env.FLOTILLA_GATEWAY, file.gateway);
  return {
    gateway: gateway && { ...gateway, value: normalizeGatewayUrl(gateway.value) },
    token: pick(flags.token, host.env.FLOTILLA_TOKEN, file.token),
    cluster: pick(flags.cluster, host.env.FLOTILLA_CLUSTER, file.cluster),
    configPath: path,
  };
}

/** `http://host:8080/` → `http://host:8080`; refuses what is not an http(s) URL. */
export function normalizeGatewayUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`${url} is not a URL: give the gateway as http://host:port or https://host`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw usageError(`${url}: the gateway URL must start with http:// or https://`);
  }
  return parsed.href.replace(/\/+$/, "");
}

/** The cluster a cluster-scoped command acts on; usage error (2) when none is named anywhere. */
export function requireCluster(connection: Connection): string {
  if (connection.cluster) return connection.cluster.value;
  throw usageError(
    "which cluster? Pass --cluster <name>, set FLOTILLA_CLUSTER, or choose a default with flotilla cluster use <name>",
  );
}

/** Shows a token without revealing it: `flt_…abcd`. */
export function maskToken(token: string): string {
  const underscore = token.indexOf("_");
  const prefix = underscore > 0 && underscore < 8 ? token.slice(0, underscore + 1) : "";
  return token.length - prefix.length <= 8 ? `${prefix}…` : `${prefix}…${token.slice(-4)}`;
}

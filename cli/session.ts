/**
 * Everything a command that talks to the gateway starts with: its output, where to connect
 * (flag > env > config) and a client, in one call from the command's citty context.
 */
import { createClient, type GatewayClient } from "./api/client.js";
import { type Connection, requireCluster, resolveConnection } from "./config/connection.js";
import { type CliData, contextOf } from "./context.js";
import { usageError } from "./errors.js";

export interface Session {
  out: CliData;
  api: GatewayClient;
  connection: Connection;
  /** `--json` was given: print the API's JSON. */
  json: boolean;
  /** The cluster to act on (flag > FLOTILLA_CLUSTER > `cluster use`); usage error when none. */
  cluster(): string;
}

export interface SessionArgs {
  gateway?: string | undefined;
  token?: string | undefined;
  cluster?: string | undefined;
  json?: boolean | undefined;
}

export async function openSession(data: unknown, args: SessionArgs): Promise<Session> {
  const out = contextOf(data);
  const connection = await resolveConnection(out.host, args);
  if (!connection.gateway) {
    throw usageError(
      "no gateway to talk to: run flotilla login <url> --token <token>, pass --gateway <url>, or set FLOTILLA_GATEWAY",
    );
  }
  const api = createClient({
    gateway: connection.gateway.value,
    token: connection.token?.value,
    fetch: out.host.fetch,
  });
  return { out, api, connection, json: args.json === true, cluster: () => requireCluster(connection) };
}

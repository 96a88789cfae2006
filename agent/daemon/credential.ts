/**
 * The agent's identity: registered once with a join token, then kept in
 * `<dataDir>/credential.json` (mode 0600, written atomically) and used on every later start,
 * so the join token is never needed again. Registration retries while the gateway is
 * unreachable; a refused join token is final and says what to do.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { AgentSettingsSchema, type Inventory } from "../../gateway/contract/agent.js";
import type { Timers } from "../health/timers.js";
import { Backoff } from "./backoff.js";
import { type GatewayClient, isGatewayError } from "./gateway-client.js";
import type { Logger } from "./logger.js";
import { sleep } from "./timers.js";

export const CredentialFileSchema = z.object({
  agentId: z.string().min(1),
  clusterId: z.string().min(1),
  clusterName: z.string(),
  credential: z.string().min(1),
  /** The gateway this credential belongs to (a warning is logged if the agent is pointed elsewhere). */
  gateway: z.string(),
  settings: AgentSettingsSchema,
  registeredAt: z.number(),
});
export type AgentIdentity = z.infer<typeof CredentialFileSchema>;

export class AgentSetupError extends Error {
  override readonly name = "AgentSetupError";
}

export const credentialPath = (dataDir: string) => join(dataDir, "credential.json");

/** The stored identity, or undefined when the agent never registered. Throws on a damaged file. */
export function loadIdentity(dataDir: string): AgentIdentity | undefined {
  const path = credentialPath(dataDir);
  if (!existsSync(path)) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new AgentSetupError(
      `${path} is not valid JSON (${(err as Error).message}); remove it and register again with a new join token`,
    );
  }
  const parsed = CredentialFileSchema.safeParse(raw);
  if (!parsed.success)
    throw new AgentSetupError(
      `${path} is not an agent credential file; remove it and register again with a new join token`,
    );
  return parsed.data;
}

/** Writes the identity readable by this user only; a crash mid-write leaves the old file or none. */
export function saveIdentity(dataDir: string, identity: AgentIdentity): void {
  const path = credentialPath(dataDir);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, path);
}

export interface RegisterOptions {
  client: Pick<GatewayClient, "register">;
  gateway: string;
  joinToken: string | undefined;
  hostname: string;
  inventory: Inventory;
  dataDir: string;
  timers: Timers;
  logger: Logger;
  signal: AbortSignal;
  backoff?: { baseMs: number; capMs: number };
}

/**
 * The stored identity, or a new one from registering with the join token. Retries while the
 * gateway is unreachable (until `signal` aborts); a refused token throws AgentSetupError.
 */
export async function ensureIdentity(options: RegisterOptions): Promise<AgentIdentity> {
  const { dataDir, logger } = options;
  const stored = loadIdentity(dataDir);
  if (stored) {
    if (stored.gateway !== options.gateway)
      logger.warn("the stored credential was issued by another gateway URL", {
        stored: stored.gateway,
        configured: options.gateway,
      });
    return stored;
  }
  if (!options.joinToken)
    throw new AgentSetupError(
      `this agent has no credential yet (${credentialPath(dataDir)}) and no join token: pass --join-token or set FLOTILLA_JOIN_TOKEN (get one with: flotilla cluster token <cluster>)`,
    );
  const backoff = new Backoff({
    baseMs: options.backoff?.baseMs ?? 500,
    capMs: options.backoff?.capMs ?? 15_000,
  });
  for (;;) {
    try {
      const res = await options.client.register(
        { joinToken: options.joinToken, hostname: options.hostname, inventory: options.inventory },
        options.signal,
      );
      const identity: AgentIdentity = {
        agentId: res.agentId,
        clusterId: res.clusterId,
        clusterName: res.clusterName,
        credential: res.credential,
        gateway: options.gateway,
        settings: res.settings,
        registeredAt: options.timers.now(),
      };
      saveIdentity(dataDir, identity);
      logger.info("registered with the gateway", {
        agentId: res.agentId,
        clusterId: res.clusterId,
        cluster: res.clusterName,
      });
      return identity;
    } catch (err) {
      if (options.signal.aborted) throw new AgentSetupError("stopped before the agent could register");
      if (isGatewayError(err, "rejected") || (isGatewayError(err) && err.status === 401))
        throw new AgentSetupError(`the gateway refused to register this agent: ${err.message}`);
      const retryInMs = backoff.next();
      logger.warn("cannot register yet; retrying", { error: err, retryInMs });
      await sleep(options.timers, retryInMs, options.signal);
    }
  }
}

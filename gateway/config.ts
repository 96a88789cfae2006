/**
 * Gateway configuration, parsed once at start with zod. Each entry (node.ts, worker.ts) hands
 * its raw environment here; a missing or invalid variable is reported by name.
 */
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1")
  .optional();
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const KEY_HELP =
  "must be the base64 of 32 random bytes (AES-256), e.g. the output of `openssl rand -base64 32`";

/** Decodes standard base64 (with or without padding); undefined when it is not base64. */
function base64Bytes(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return undefined;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
}

const secretsKey = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const bytes = base64Bytes(text);
    if (bytes?.length !== 32) {
      ctx.addIssue({
        code: "custom",
        message: `${KEY_HELP}; this one ${bytes ? `decodes to ${bytes.length} bytes` : "is not base64"}`,
      });
      return z.NEVER;
    }
    return bytes;
  });

export const GatewayEnvSchema = z.object({
  /** Bootstrap admin token (`flt_…`). On Node one is generated on first start if unset. */
  FLOTILLA_ADMIN_TOKEN: z
    .string()
    .regex(/^flt_[A-Za-z0-9_-]{20,}$/, { error: "must look like flt_ followed by at least 20 characters" })
    .optional(),
  /** Let the gateway fetch repository URLs itself (off by default: uploads only). */
  FLOTILLA_ALLOW_REPOSITORY_URLS: bool,
  /** Largest request body accepted, in bytes (bundles and indexes included). */
  FLOTILLA_MAX_BODY_BYTES: int(1024, 256 * 1024 * 1024).optional(),
  /** Heartbeat age after which an agent is `stale`, and then `lost`, in seconds. */
  FLOTILLA_AGENT_STALE_SECONDS: int(5, 86_400).optional(),
  FLOTILLA_AGENT_LOST_SECONDS: int(10, 7 * 86_400).optional(),
  /** How long a scheduling lease lasts without renewal, in seconds. */
  FLOTILLA_LEASE_SECONDS: int(5, 3_600).optional(),
  /**
   * Key that encrypts the cluster secret store (base64 of 32 bytes). On Node one is generated on
   * first start and kept in the data directory if unset; on Workers the secret routes answer
   * 503 until it is set (`wrangler secret put FLOTILLA_SECRETS_KEY`).
   */
  FLOTILLA_SECRETS_KEY: secretsKey.optional(),
});

export interface GatewayConfig {
  adminToken?: string;
  /** The raw AES-256 key of the secret store, when configured (the entry builds Deps.secrets from it). */
  secretsKey?: Uint8Array;
  allowRepositoryUrls: boolean;
  maxBodyBytes: number;
  agentStaleMs: number;
  agentLostMs: number;
  leaseMs: number;
  /** Heartbeats are written at most this often per agent, whatever the poll rate. */
  heartbeatWriteMs: number;
  /** Longest long-poll the gateway holds open. */
  maxWaitMs: number;
}

export const DEFAULT_CONFIG: GatewayConfig = {
  allowRepositoryUrls: false,
  maxBodyBytes: 64 * 1024 * 1024,
  agentStaleMs: 30_000,
  agentLostMs: 120_000,
  leaseMs: 15_000,
  heartbeatWriteMs: 10_000,
  maxWaitMs: 30_000,
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Parses the environment; throws ConfigError naming each bad variable. */
export function parseGatewayConfig(env: Record<string, string | undefined>): GatewayConfig {
  const parsed = GatewayEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`invalid gateway configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const config: GatewayConfig = {
    ...DEFAULT_CONFIG,
    allowRepositoryUrls: e.FLOTILLA_ALLOW_REPOSITORY_URLS ?? false,
    maxBodyBytes: e.FLOTILLA_MAX_BODY_BYTES ?? DEFAULT_CONFIG.maxBodyBytes,
    agentStaleMs: (e.FLOTILLA_AGENT_STALE_SECONDS ?? 30) * 1000,
    agentLostMs: (e.FLOTILLA_AGENT_LOST_SECONDS ?? 120) * 1000,
    leaseMs: (e.FLOTILLA_LEASE_SECONDS ?? 15) * 1000,
  };
  if (e.FLOTILLA_ADMIN_TOKEN) config.adminToken = e.FLOTILLA_ADMIN_TOKEN;
  if (e.FLOTILLA_SECRETS_KEY) config.secretsKey = e.FLOTILLA_SECRETS_KEY;
  if (config.agentLostMs <= config.agentStaleMs) {
    throw new ConfigError(
      "invalid gateway configuration:\n  FLOTILLA_AGENT_LOST_SECONDS: must be greater than FLOTILLA_AGENT_STALE_SECONDS",
    );
  }
  return config;
}

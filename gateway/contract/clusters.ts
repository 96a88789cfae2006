/** Clusters, join tokens and agents as the API shows them (shared with the CLI). */
import { z } from "zod";
import { LabelsSchema, NameSchema } from "./common.js";

export const CreateClusterBody = z.strictObject({ name: NameSchema, labels: LabelsSchema.default({}) });

export const ClusterSchema = z.object({
  id: z.string(),
  name: z.string(),
  labels: z.record(z.string(), z.string()),
  desiredRevision: z.number().int(),
  createdAt: z.string(),
  agents: z.object({ healthy: z.number(), stale: z.number(), lost: z.number() }),
});
export type Cluster = z.infer<typeof ClusterSchema>;

export const CreateJoinTokenBody = z.strictObject({
  /** Lifetime in seconds (default one hour, at most 30 days). */
  ttlSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400)
    .default(3_600),
  maxUses: z.number().int().min(1).max(10_000).default(1),
});

export const JoinTokenSchema = z.object({
  id: z.string(),
  clusterId: z.string(),
  expiresAt: z.string(),
  maxUses: z.number(),
  uses: z.number(),
  revoked: z.boolean(),
  createdAt: z.string(),
});
/** Only the create response carries the secret, once. */
export const CreatedJoinTokenSchema = JoinTokenSchema.extend({ token: z.string() });

export const AgentStateSchema = z.enum(["healthy", "stale", "lost"]);
export const AgentSchema = z.object({
  id: z.string(),
  clusterId: z.string(),
  hostname: z.string(),
  state: AgentStateSchema,
  lastSeenAt: z.string().nullable(),
  inventory: z.record(z.string(), z.unknown()).nullable(),
  leaseHolder: z.boolean(),
});
export type Agent = z.infer<typeof AgentSchema>;

/**
 * The cluster secret store as operators see it (shared with the CLI). A value goes in and
 * never comes back out: listings carry paths and times only; only the cluster's agents read
 * values, for the tasks assigned to them (contract/agent.ts, `POST …/secrets`).
 */
import { z } from "zod";
import { MAX_SECRET_PATH_LENGTH, SECRET_PATH, SECRET_PATH_RULE } from "../../universe/models/secrets.js";

/** Largest secret value, in bytes of UTF-8. */
export const MAX_SECRET_VALUE_BYTES = 64 * 1024;

export const SecretPathSchema = z
  .string()
  .min(1, { error: SECRET_PATH_RULE })
  .max(MAX_SECRET_PATH_LENGTH, { error: SECRET_PATH_RULE })
  .regex(SECRET_PATH, { error: SECRET_PATH_RULE });

export const PutSecretBody = z.strictObject({
  value: z.string().refine((v) => new TextEncoder().encode(v).length <= MAX_SECRET_VALUE_BYTES, {
    error: `a secret value is at most ${MAX_SECRET_VALUE_BYTES} bytes (64 KiB)`,
  }),
});

export const SecretSchema = z.object({
  path: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type Secret = z.infer<typeof SecretSchema>;

export const SecretListSchema = z.object({ secrets: z.array(SecretSchema) });

/** What `PUT` answers: the secret's metadata, and whether it replaced an earlier value. */
export const PutSecretResponse = SecretSchema.extend({ created: z.boolean() });

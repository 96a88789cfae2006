/** API tokens of operators and scripts. */
import { z } from "zod";

export const RoleSchema = z.enum(["viewer", "operator", "admin"]);
export const CreateTokenBody = z.strictObject({
  name: z.string().min(1).max(100),
  role: RoleSchema,
  /** Limit the token to these clusters (ids or names); omit for every cluster. */
  clusters: z.array(z.string().min(1)).min(1).max(1000).optional(),
});
export const TokenSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  clusters: z.array(z.string()).nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  revoked: z.boolean(),
});
export const CreatedTokenSchema = TokenSchema.extend({ token: z.string() });

/** Wire shapes shared by several resources. */
import { z } from "zod";

export const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const NameSchema = z.string().regex(NAME, {
  error: "use 1–63 lower-case letters, digits and hyphens, not starting or ending with a hyphen",
});
export const LabelsSchema = z
  .record(z.string().min(1).max(63), z.string().max(253))
  .refine((l) => Object.keys(l).length <= 64, { error: "at most 64 labels" });
export const IdParam = z.object({ id: z.string().min(1).max(64) });
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

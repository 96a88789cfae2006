/**
 * `config.json`: the JSON Schema (draft 4 in Universe) of a package's options, with a
 * `default` on each property. Only its outer shape is checked here; the options module
 * validates option values against it with a full JSON Schema validator.
 */
import { z } from "zod";

export const ConfigSchemaSchema = z
  .looseObject({
    type: z
      .literal("object", { error: 'the top level of config.json must be {"type": "object"}' })
      .optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .refine((v) => !Array.isArray(v), { error: "config.json must be a JSON object" });

/** A JSON Schema object; kept as plain JSON so it can be stored and served unchanged. */
export type ConfigSchema = Record<string, unknown>;

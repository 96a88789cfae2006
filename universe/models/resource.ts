/**
 * `resource.json`: every external artifact a package uses (images, asset URIs, docker images,
 * CLI binaries). Rendering exposes it to templates as `resource`; mirroring reads it.
 */
import { z } from "zod";

const hash = z.looseObject({ algo: z.string(), value: z.string() });
const cliInfo = z.looseObject({
  url: z.string(),
  kind: z.string().optional(),
  contentHash: z.array(hash).optional(),
});

export const ResourceSchema = z.looseObject({
  images: z.record(z.string(), z.unknown()).optional(),
  assets: z
    .looseObject({
      uris: z.record(z.string(), z.string()).optional(),
      container: z.looseObject({ docker: z.record(z.string(), z.string()).optional() }).optional(),
    })
    .optional(),
  cli: z
    .looseObject({
      binaries: z.record(z.string(), z.record(z.string(), cliInfo)).optional(),
    })
    .optional(),
});

export type Resource = z.infer<typeof ResourceSchema>;

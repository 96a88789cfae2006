/**
 * Reads a Flotilla bundle (`.tgz`) into a checked package definition: unpacked with the
 * bundle module's limits, then parsed like any Universe revision. Its digest is its identity.
 */
import { type BundleLimits, unpackBundle } from "../bundle/index.js";
import type { PackageDefinition } from "../models/package.js";
import { parseRevisionFiles } from "./revision.js";

export interface ReadBundleResult {
  definition: PackageDefinition;
  digest: string;
  files: Map<string, Uint8Array>;
}

/** Throws BUNDLE_* for a bad archive and INVALID_PACKAGE/INVALID_JSON for bad contents. */
export async function readBundle(
  archive: Uint8Array | ReadableStream<Uint8Array>,
  opts: { limits?: Partial<BundleLimits>; releaseVersion?: number; path?: string } = {},
): Promise<ReadBundleResult> {
  const { files, digest } = await unpackBundle(archive, opts.limits);
  const definition = parseRevisionFiles(files, {
    releaseVersion: opts.releaseVersion ?? 0,
    ...(opts.path !== undefined && { path: opts.path }),
  });
  return { definition, digest, files };
}

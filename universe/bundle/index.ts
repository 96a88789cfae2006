/**
 * The Flotilla bundle format: one package revision's files in a deterministic `.tgz`, named by
 * the sha256 of its bytes, and unpacked with limits that hold against hostile archives.
 */
export { sha256Hex } from "./digest.js";
export { type BundleLimits, DEFAULT_BUNDLE_LIMITS, resolveBundleLimits } from "./limits.js";
export { type PackedBundle, packBundle } from "./pack.js";
export { type UnpackedBundle, unpackBundle } from "./unpack.js";

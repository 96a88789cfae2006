/**
 * The identity of a bundle: the SHA-256 of its archive bytes, written the way OCI digests
 * are (`sha256:<hex>`), computed with WebCrypto so it runs on Node and Workers alike.
 */

/**
 * Hashes bytes with SHA-256.
 * @example await sha256Hex(new TextEncoder().encode("abc")) // "sha256:ba7816bf…15ad"
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  let hex = "";
  for (const byte of hash) hex += byte.toString(16).padStart(2, "0");
  return `sha256:${hex}`;
}

/**
 * UTF-8 and base64 helpers that behave the same on Node and Workers (no Buffer; `btoa`/`atob`
 * only take Latin-1, so text goes through UTF-8 bytes first).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** Decodes UTF-8, throwing on invalid bytes (callers turn that into their own error). */
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes);

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** Throws on text that is not base64. */
export function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text.replace(/\s+/g, ""));
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

export const textToBase64 = (text: string): string => bytesToBase64(utf8(text));
export const base64ToText = (b64: string): string => fromUtf8(base64ToBytes(b64));

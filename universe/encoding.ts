/**
 * UTF-8 and base64 helpers that behave the same on Node and Workers (no Buffer; `btoa`/`atob`
 * only take Latin-1, so text goes through UTF-8 bytes first).
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export const utf8 = (text: string): Uint8Array => encoder.encode(text);

/** Decodes UTF-8, throwing on invalid bytes (callers turn that into their own error). */
export const fromUtf8 = (bytes: Uint8Array): string => decoder.decode(bytes);

const B64 = utf8("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
const PAD = 61; // "="

/**
 * Standard base64 with padding. Table-driven into a byte buffer: `btoa` over a string built
 * with `String.fromCharCode(...chunk)` was the slowest step of rendering large packages.
 */
export function bytesToBase64(bytes: Uint8Array): string {
  const n = bytes.length;
  const out = new Uint8Array(Math.ceil(n / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const v = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = B64[v >> 18] as number;
    out[o++] = B64[(v >> 12) & 63] as number;
    out[o++] = B64[(v >> 6) & 63] as number;
    out[o++] = B64[v & 63] as number;
  }
  if (i < n) {
    const rest = n - i;
    const v = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
    out[o++] = B64[v >> 18] as number;
    out[o++] = B64[(v >> 12) & 63] as number;
    out[o++] = rest === 2 ? (B64[(v >> 6) & 63] as number) : PAD;
    out[o++] = PAD;
  }
  return fromUtf8(out);
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

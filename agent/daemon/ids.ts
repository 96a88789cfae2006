/**
 * Ids of status updates: ULIDs (48-bit time + 80-bit randomness, Crockford base32), so ids
 * made later sort later, and ids made in the same millisecond still sort in the order they
 * were made (the random part is incremented, as the ULID spec's monotonic mode does).
 */
import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encodeTime(ms: number): string {
  let out = "";
  let t = Math.max(0, Math.floor(ms));
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  return out;
}

/** 80 random bits as 16 base32 digits (one digit per 5 bits). */
function encodeRandom(digits: number[]): string {
  return digits.map((d) => ALPHABET[d]).join("");
}

/** A monotonic ULID factory; `now` is the clock it stamps ids with. */
export function ulidFactory(now: () => number): () => string {
  let lastTime = -1;
  let last: number[] = [];
  return () => {
    const t = now();
    if (t === lastTime) {
      // Same millisecond: increment the random part so ids stay ordered and distinct.
      for (let i = last.length - 1; i >= 0; i--) {
        if (last[i]! < 31) {
          last[i]!++;
          break;
        }
        last[i] = 0;
      }
    } else {
      const bytes = randomBytes(16);
      last = [...bytes].map((b) => b % 32);
      lastTime = t;
    }
    return encodeTime(t) + encodeRandom(last);
  };
}

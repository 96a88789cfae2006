import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { base64ToBytes, base64ToText, bytesToBase64, textToBase64 } from "../../universe/encoding.js";

describe("base64 and UTF-8 helpers", () => {
  it("encode exactly as Node's Buffer does, for every length and byte value", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
        expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it("round-trip any Unicode text through UTF-8", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (text) => {
        expect(base64ToText(textToBase64(text))).toBe(text);
      }),
    );
    expect(textToBase64("{}")).toBe("e30=");
  });

  it("refuse text that is not base64", () => {
    expect(() => base64ToBytes("%%%")).toThrow();
  });
});

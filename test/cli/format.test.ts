/** Human output helpers: aligned tables, field blocks, masked tokens. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskToken } from "../../cli/config/connection.js";
import { renderFields, renderTable } from "../../cli/format/table.js";

describe("renderTable", () => {
  it("aligns every column under its header with two spaces between columns", () => {
    const lines = renderTable(
      [
        { name: "edge-1", n: 3, note: "short" },
        { name: "a", n: 12345, note: null },
      ],
      [
        { header: "NAME", value: (r) => r.name },
        { header: "N", value: (r) => r.n, align: "right" },
        { header: "NOTE", value: (r) => r.note },
      ],
    );
    expect(lines).toEqual(["NAME        N  NOTE", "edge-1      3  short", "a       12345  -"]);
  });

  it("starts each column at the same offset on every line, for any cell text", () => {
    const text = fc.string({ maxLength: 12 }).map((s) => s.replace(/\s/g, "x"));
    fc.assert(
      fc.property(fc.array(fc.tuple(text, text, text), { maxLength: 6 }), (rows) => {
        const lines = renderTable(rows, [
          { header: "A", value: (r) => r[0] },
          { header: "B", value: (r) => r[1] },
          { header: "C", value: (r) => r[2] },
        ]);
        const header = lines[0] as string;
        const b = header.indexOf("B");
        const c = header.indexOf("C");
        lines.slice(1).forEach((line, i) => {
          const row = rows[i] as [string, string, string];
          expect(line.slice(b).startsWith(row[1] || "-")).toBe(true);
          expect(line.slice(c)).toBe(row[2] || "-");
          expect(line).toBe(line.trimEnd());
        });
      }),
    );
  });

  it("makes the header bold only when asked for colour", () => {
    const rows = [{ a: "x" }];
    const cols = [{ header: "A", value: (r: { a: string }) => r.a }];
    expect(renderTable(rows, cols, false)[0]).toBe("A");
    expect(renderTable(rows, cols, true)[0]).toBe("\x1b[1mA\x1b[22m");
  });
});

describe("renderFields", () => {
  it("aligns values and leaves out undefined ones", () => {
    expect(
      renderFields([
        ["Name", "x"],
        ["Skipped", undefined],
        ["Long label", 3],
      ]),
    ).toEqual(["Name:        x", "Long label:  3"]);
  });
});

describe("maskToken", () => {
  it("shows the kind and the last four characters only", () => {
    expect(maskToken("flt_abcdefghijklmnopqrstuvwxyz1234")).toBe("flt_…1234");
    expect(maskToken("flt_short")).toBe("flt_…");
    expect(maskToken("no-prefix-but-long-enough")).toBe("…ough");
  });

  it("never reveals more than four characters of the secret", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 20, maxLength: 60 }).map((s) => `flt_${s}`),
        (token) => {
          const masked = maskToken(token);
          expect(masked.startsWith("flt_…")).toBe(true);
          expect(masked.length).toBeLessThanOrEqual("flt_…".length + 4);
        },
      ),
    );
  });
});

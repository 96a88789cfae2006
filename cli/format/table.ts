/**
 * Aligned text tables and `Label: value` blocks for human output. Plain text unless the
 * output is a colour terminal, in which case headers are bold; nothing else depends on it.
 */
export interface Column<T> {
  header: string;
  value(row: T): string | number | boolean | null | undefined;
  align?: "left" | "right";
}

const BOLD = (s: string) => `\x1b[1m${s}\x1b[22m`;

const cell = (v: string | number | boolean | null | undefined): string =>
  v === null || v === undefined || v === "" ? "-" : String(v).replace(/\s*\n\s*/g, " ");

/**
 * One line per row plus a header, columns separated by two spaces, no trailing spaces.
 * @example renderTable(clusters, [{ header: "NAME", value: (c) => c.name }])
 */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[], color = false): string[] {
  const cells = rows.map((r) => columns.map((c) => cell(c.value(r))));
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...cells.map((row) => (row[i] as string).length)),
  );
  const format = (row: string[], header: boolean) =>
    row
      .map((text, i) => {
        const last = i === row.length - 1;
        const width = widths[i] as number;
        const padded =
          columns[i]?.align === "right" ? text.padStart(width) : last ? text : text.padEnd(width);
        return header && color ? BOLD(padded) : padded;
      })
      .join("  ")
      .trimEnd();
  return [
    format(
      columns.map((c) => c.header),
      true,
    ),
    ...cells.map((row) => format(row, false)),
  ];
}

/** `Label:  value` lines with the values aligned; rows whose value is undefined are left out. */
export function renderFields(
  fields: readonly [string, string | number | boolean | null | undefined][],
): string[] {
  const shown = fields.filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...shown.map(([label]) => label.length + 1));
  return shown.map(([label, v]) => `${`${label}:`.padEnd(width)}  ${cell(v)}`);
}

/** `2026-11-25T12:00:00.000Z` → `2026-11-25 12:00:00Z`: short, sortable, unambiguous. */
export const shortTime = (iso: string | null | undefined): string =>
  iso ? iso.replace("T", " ").replace(/\.\d+Z$/, "Z") : "-";

/** Cuts text to `max` characters with an ellipsis. */
export const clip = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;

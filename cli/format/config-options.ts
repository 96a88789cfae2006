/**
 * The options a package takes, flattened from its config.json (a JSON Schema) into
 * `service.instances  integer  2  How many instances` rows, the paths `--set` accepts.
 */
export interface OptionRow {
  path: string;
  type: string;
  default: string;
  description: string;
}

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

export function optionRows(config: Schema | null, prefix = "", depth = 0): OptionRow[] {
  const properties = config && isSchema(config.properties) ? config.properties : {};
  const rows: OptionRow[] = [];
  for (const [key, child] of Object.entries(properties)) {
    if (!isSchema(child)) continue;
    const path = prefix ? `${prefix}.${key}` : key;
    if (isSchema(child.properties) && depth < 8) {
      rows.push(...optionRows(child, path, depth + 1));
      continue;
    }
    const type = Array.isArray(child.type)
      ? child.type.join("|")
      : typeof child.type === "string"
        ? child.type
        : "any";
    rows.push({
      path,
      type: Array.isArray(child.enum) ? child.enum.map((e) => JSON.stringify(e)).join("|") : type,
      default: child.default === undefined ? "" : JSON.stringify(child.default),
      description: typeof child.description === "string" ? child.description : "",
    });
  }
  return rows;
}

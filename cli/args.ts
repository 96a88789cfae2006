/**
 * Flags shared by the commands that talk to a gateway, declared once and spread into each
 * command's `args` so every `--help` lists them.
 */
export const jsonArg = {
  json: { type: "boolean", description: "Print the API's JSON instead of a table (for scripts)" },
} as const;

export const gatewayArgs = {
  gateway: {
    type: "string",
    valueHint: "url",
    description: "Gateway URL (overrides FLOTILLA_GATEWAY and `flotilla login`)",
  },
  token: {
    type: "string",
    valueHint: "flt_…",
    description: "API token (overrides FLOTILLA_TOKEN and `flotilla login`)",
  },
  ...jsonArg,
} as const;

export const clusterArgs = {
  cluster: {
    type: "string",
    alias: "c",
    valueHint: "name",
    description: "Cluster name or id (overrides FLOTILLA_CLUSTER and `flotilla cluster use`)",
  },
  ...gatewayArgs,
} as const;

export const optionsArgs = {
  options: { type: "string", valueHint: "file.json", description: "Package options from a JSON file" },
  set: {
    type: "string",
    valueHint: "key.path=value",
    description: "Set one option (repeatable; the value is parsed as JSON when it parses, else a string)",
  },
} as const;

export const waitArgs = {
  wait: { type: "boolean", description: "Follow the deployment until it converges, fails or times out" },
  timeout: {
    type: "string",
    valueHint: "seconds",
    default: "300",
    description: "How long --wait follows the deployment",
  },
} as const;

/** The values of a repeatable string flag (`--set a=1 --set b=2`, `--set=a=1`), in order. */
export function repeated(rawArgs: readonly string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--") break;
    if (arg === `--${name}`) {
      const next = rawArgs[i + 1];
      if (next !== undefined) values.push(next);
      i++;
    } else if (arg.startsWith(`--${name}=`)) {
      values.push(arg.slice(name.length + 3));
    }
  }
  return values;
}

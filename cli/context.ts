/**
 * What every command receives as citty's `data`: the Output (so `lint`, which predates the
 * host, keeps reading `data` as an Output) plus the host it runs on.
 */
import type { CliHost } from "./host.js";
import type { Output } from "./output.js";

export interface CliData extends Output {
  host: CliHost;
}

export function cliData(out: Output, host: CliHost): CliData {
  const data: CliData = {
    line: (t) => out.line(t),
    error: (t) => out.error(t),
    json: (v) => out.json(v),
    host,
  };
  if (out.tty !== undefined) data.tty = out.tty;
  if (out.color !== undefined) data.color = out.color;
  if (out.update) data.update = (t) => out.update?.(t);
  return data;
}

/** The command's context, from citty's untyped `data`. */
export const contextOf = (data: unknown): CliData => data as CliData;

/**
 * Runs the `flotilla` command line: resolves the subcommand, prints `--help` usage, and turns
 * every failure into a message and an exit code (see errors.ts). Commands return their exit code.
 */
import { type CommandDef, defineCommand, renderUsage, runCommand } from "citty";
import { CliError } from "./errors.js";
import type { Output } from "./output.js";

export const VERSION = "0.1.0";

export const rootCommand = defineCommand({
  meta: {
    name: "flotilla",
    version: VERSION,
    description: "Operate Flotilla: packages, clusters, services and jobs",
  },
  subCommands: {
    lint: () => import("./commands/lint.js").then((m) => m.default),
  },
});

interface Resolved {
  cmd: CommandDef;
  parent: CommandDef | undefined;
  /** The arguments left for the resolved command. */
  rest: string[];
}

/**
 * Walks the leading words of `rawArgs` down the tree of subcommands. We dispatch ourselves
 * rather than through citty's nested runCommand, which passes neither `data` (our Output)
 * nor the leaf command's result (its exit code) back up.
 */
async function resolveCommand(rawArgs: string[]): Promise<Resolved> {
  let cmd: CommandDef = rootCommand as CommandDef;
  let parent: CommandDef | undefined;
  let i = 0;
  for (; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg.startsWith("-")) break;
    const subs = typeof cmd.subCommands === "function" ? await cmd.subCommands() : await cmd.subCommands;
    if (!subs) break;
    const next = subs[arg];
    if (!next) throw new CliError(`unknown command "${arg}"; run with --help to see the commands`, 2);
    parent = cmd;
    cmd = (typeof next === "function" ? await next() : await next) as CommandDef;
  }
  return { cmd, parent, rest: rawArgs.slice(i) };
}

const usageOf = async (r: Resolved) => renderUsage(r.cmd, r.parent);

/** Runs the CLI with `rawArgs` (without `node` and the script) and returns the exit code. */
export async function runCli(rawArgs: string[], out: Output): Promise<number> {
  let resolved: Resolved | undefined;
  try {
    if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
      out.line(await usageOf(await resolveCommand(rawArgs.filter((a) => a !== "--help" && a !== "-h"))));
      return rawArgs.length === 0 ? 2 : 0;
    }
    if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
      out.line(VERSION);
      return 0;
    }
    resolved = await resolveCommand(rawArgs);
    if (!resolved.cmd.run) {
      out.error(await usageOf(resolved));
      return 2;
    }
    const { result } = await runCommand(resolved.cmd, { rawArgs: resolved.rest, data: out });
    return typeof result === "number" ? result : 0;
  } catch (e) {
    if (e instanceof CliError) {
      out.error(`error: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof Error && e.name === "CLIError") {
      // citty's own usage errors: unknown command, missing argument, bad enum value.
      out.error(`error: ${e.message}\n`);
      if (resolved) out.error(await usageOf(resolved));
      return 2;
    }
    out.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

/**
 * Runs the `flotilla` command line: resolves the subcommand, prints `--help` usage, and turns
 * every failure into a message and an exit code (see errors.ts). Commands return their exit code.
 */
import { type CommandDef, defineCommand, renderUsage, runCommand } from "citty";
import { CliError } from "./errors.js";
import type { Output } from "./output.js";

export const VERSION = "0.1.0";

export const rootCommand = defineCommand({
  meta: { name: "flotilla", version: VERSION, description: "Operate Flotilla: packages, clusters, services and jobs" },
  subCommands: {
    lint: () => import("./commands/lint.js").then((m) => m.default),
  },
});

async function resolveCommand(rawArgs: string[]): Promise<[CommandDef, CommandDef | undefined]> {
  let cmd: CommandDef = rootCommand as CommandDef;
  let parent: CommandDef | undefined;
  for (const arg of rawArgs) {
    if (arg.startsWith("-")) continue;
    const subs = typeof cmd.subCommands === "function" ? await cmd.subCommands() : await cmd.subCommands;
    const next = subs?.[arg];
    if (!next) break;
    parent = cmd;
    cmd = (typeof next === "function" ? await next() : await next) as CommandDef;
  }
  return [cmd, parent];
}

/** Runs the CLI with `rawArgs` (without `node` and the script) and returns the exit code. */
export async function runCli(rawArgs: string[], out: Output): Promise<number> {
  try {
    if (rawArgs.length === 0 || rawArgs.includes("--help") || rawArgs.includes("-h")) {
      out.line(await renderUsage(...(await resolveCommand(rawArgs))));
      return rawArgs.length === 0 ? 2 : 0;
    }
    if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
      out.line(VERSION);
      return 0;
    }
    const { result } = await runCommand(rootCommand, { rawArgs, data: out });
    return typeof result === "number" ? result : 0;
  } catch (e) {
    if (e instanceof CliError) {
      out.error(`error: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof Error && e.name === "CLIError") {
      // citty's own usage errors: unknown command, missing argument, bad enum value.
      out.error(`error: ${e.message}\n`);
      out.error(await renderUsage(...(await resolveCommand(rawArgs))));
      return 2;
    }
    out.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

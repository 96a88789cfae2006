/**
 * Runs the `flotilla` command line: resolves the subcommand, checks its flags, prints `--help`
 * usage, and turns every failure into a message and an exit code (see errors.ts). Commands
 * return their exit code.
 */
import {
  type ArgsDef,
  type CommandDef,
  type CommandMeta,
  defineCommand,
  renderUsage,
  runCommand,
} from "citty";
import { cliData } from "./context.js";
import { CliError, usageError } from "./errors.js";
import { type CliHost, defaultHost } from "./host.js";
import type { Output } from "./output.js";

export const VERSION = "0.1.0";

const load = <T>(m: Promise<{ default: T }>) => m.then((x) => x.default);

export const rootCommand = defineCommand({
  meta: {
    name: "flotilla",
    version: VERSION,
    description:
      "Operate Flotilla: packages, clusters, services and jobs.\n\n" +
      "Examples:\n  flotilla login http://127.0.0.1:8080 --token flt_…\n  flotilla cluster use local\n" +
      "  flotilla package search http\n  flotilla package install hello-http --set service.instances=2 --wait\n" +
      "  flotilla service list\n\n" +
      "Every command takes --help; commands that talk to the gateway take --json, --gateway and --token.\n" +
      "Exit codes: 0 success, 1 failure (or refused by the gateway, or a --wait that failed or timed out), 2 bad usage.",
  },
  subCommands: {
    login: () => load(import("./commands/login.js")),
    logout: () => load(import("./commands/logout.js")),
    context: () => load(import("./commands/context.js")),
    package: () => load(import("./commands/package/index.js")),
    repo: () => load(import("./commands/repo/index.js")),
    cluster: () => load(import("./commands/cluster/index.js")),
    service: () => load(import("./commands/service/index.js")),
    job: () => load(import("./commands/job/index.js")),
    token: () => load(import("./commands/token/index.js")),
    secret: () => load(import("./commands/secret/index.js")),
    lint: () => load(import("./commands/lint.js")),
  },
});

interface Resolved {
  cmd: CommandDef;
  /** The words that named it: `["flotilla", "package", "install"]`. */
  path: string[];
  /** The arguments left for the resolved command. */
  rest: string[];
}

const resolveValue = async <T>(v: T | Promise<T> | (() => T | Promise<T>)): Promise<T> =>
  typeof v === "function" ? (v as () => T | Promise<T>)() : v;

/**
 * Walks the leading words of `rawArgs` down the tree of subcommands. We dispatch ourselves
 * rather than through citty's nested runCommand, which passes neither `data` (our Output)
 * nor the leaf command's result (its exit code) back up.
 */
async function resolveCommand(rawArgs: string[]): Promise<Resolved> {
  let cmd: CommandDef = rootCommand as CommandDef;
  const path = ["flotilla"];
  let i = 0;
  for (; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg.startsWith("-")) break;
    const subs = cmd.subCommands ? await resolveValue(cmd.subCommands) : undefined;
    if (!subs) break;
    const next = subs[arg];
    if (!next) {
      throw usageError(
        `unknown command "${arg}" for "${path.join(" ")}"; the commands are: ${Object.keys(subs).join(", ")}`,
      );
    }
    path.push(arg);
    cmd = (await resolveValue(next)) as CommandDef;
  }
  return { cmd, path, rest: rawArgs.slice(i) };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: it matches ANSI colour codes, which start with ESC
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");

/** A command's one-line summary: the first line of its description. */
const summaryOf = (meta: CommandMeta) => (meta.description ?? "").split("\n")[0] ?? "";

/**
 * Usage with the full command path in its title (citty only knows one parent), one-line
 * summaries in the list of subcommands, and the rest of the description (details, examples)
 * after the options.
 */
async function usageOf(r: Resolved, color: boolean): Promise<string> {
  const meta = await resolveValue(r.cmd.meta ?? {});
  const shown: CommandDef = { ...r.cmd, meta: { ...meta, description: summaryOf(meta) } };
  if (r.cmd.subCommands) {
    const subs = await resolveValue(r.cmd.subCommands);
    const summaries: Record<string, CommandDef> = {};
    for (const [name, sub] of Object.entries(subs)) {
      const subMeta = await resolveValue(((await resolveValue(sub)) as CommandDef).meta ?? {});
      summaries[name] = { meta: { ...subMeta, description: summaryOf(subMeta) } };
    }
    shown.subCommands = summaries;
  }
  const parent =
    r.path.length > 1 ? { meta: { name: r.path.slice(0, -1).join(" "), version: VERSION } } : undefined;
  const details = (meta.description ?? "").split("\n").slice(1).join("\n").trim();
  const text = `${(await renderUsage(shown, parent as CommandDef | undefined)).trimEnd()}${details ? `\n\n${details}` : ""}`;
  const trimmed = text
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n");
  return color ? trimmed : stripAnsi(trimmed);
}

/**
 * Refuses flags the command does not declare and positionals beyond those it takes: citty
 * itself ignores both, and a typo must not silently run something else (`--clustr x`).
 */
async function checkArgs(r: Resolved): Promise<void> {
  const defs = (r.cmd.args ? await resolveValue(r.cmd.args) : {}) as ArgsDef;
  const byName = new Map<string, ArgsDef[string]>();
  const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") continue;
    byName.set(name, def);
    byName.set(kebab(name), def);
    const aliases = "alias" in def ? def.alias : undefined;
    for (const a of Array.isArray(aliases) ? aliases : aliases ? [aliases] : []) byName.set(a, def);
  }
  const positionals = Object.entries(defs).filter(([, d]) => d.type === "positional");
  const command = r.path.join(" ");
  let given = 0;
  for (let i = 0; i < r.rest.length; i++) {
    const arg = r.rest[i] as string;
    if (arg === "--") {
      given += r.rest.length - i - 1;
      break;
    }
    if (arg.startsWith("-") && arg.length > 1 && !/^-\d/.test(arg)) {
      const [flag = "", inline] = arg.replace(/^--?/, "").split(/=(.*)/s, 2);
      let def = byName.get(flag);
      if (!def && flag.startsWith("no-")) {
        const positive = byName.get(flag.slice(3));
        if (positive?.type === "boolean") def = positive;
      }
      if (!def)
        throw usageError(`unknown option ${arg.split("=")[0]} for "${command}"; see ${command} --help`);
      if ((def.type === "string" || def.type === "enum") && inline === undefined) {
        if (r.rest[i + 1] === undefined) throw usageError(`${arg} needs a value; see ${command} --help`);
        i++;
      }
      continue;
    }
    given++;
    if (given > positionals.length) {
      throw usageError(
        positionals.length === 0
          ? `"${command}" takes no arguments, got "${arg}"; see ${command} --help`
          : `unexpected argument "${arg}" for "${command}" (it takes ${positionals.map(([n]) => n.toUpperCase()).join(" ")}); quote values with spaces`,
      );
    }
  }
}

/**
 * Runs the CLI with `rawArgs` (without `node` and the script) and returns the exit code.
 * `host` is the machine it runs on (environment, fetch, clock); tests pass their own, and
 * without one nothing is read from the real environment.
 */
export async function runCli(rawArgs: string[], out: Output, host: Partial<CliHost> = {}): Promise<number> {
  const color = out.color === true;
  let resolved: Resolved | undefined;
  try {
    const help = rawArgs.indexOf("--help") >= 0 || rawArgs.indexOf("-h") >= 0;
    if (rawArgs.length === 0 || help) {
      out.line(
        await usageOf(await resolveCommand(rawArgs.filter((a) => a !== "--help" && a !== "-h")), color),
      );
      return rawArgs.length === 0 ? 2 : 0;
    }
    if (rawArgs.length === 1 && (rawArgs[0] === "--version" || rawArgs[0] === "-v")) {
      out.line(VERSION);
      return 0;
    }
    resolved = await resolveCommand(rawArgs);
    if (!resolved.cmd.run) {
      out.error(await usageOf(resolved, color));
      if (resolved.rest.length > 0) out.error(`\nerror: unknown command or option "${resolved.rest[0]}"`);
      return 2;
    }
    await checkArgs(resolved);
    const data = cliData(out, defaultHost(host));
    const { result } = await runCommand(resolved.cmd, { rawArgs: resolved.rest, data });
    return typeof result === "number" ? result : 0;
  } catch (e) {
    if (e instanceof CliError) {
      out.error(`error: ${e.message}`);
      return e.exitCode;
    }
    if (e instanceof Error && e.name === "CLIError") {
      // citty's own usage errors: missing argument, bad enum value.
      out.error(`error: ${color ? e.message : stripAnsi(e.message)}\n`);
      if (resolved) out.error(await usageOf(resolved, color));
      return 2;
    }
    out.error(`error: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

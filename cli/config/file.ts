/**
 * The user's CLI config: which gateway to talk to, with which token, and the default cluster.
 * One small JSON file, readable only by its owner:
 *
 *   $FLOTILLA_CONFIG, else $XDG_CONFIG_HOME/flotilla/config.json, else ~/.config/flotilla/config.json
 *   {"gateway": "https://flotilla.example.com", "token": "flt_…", "cluster": "edge-1"}
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { CliError, usageError } from "../errors.js";
import type { CliHost } from "../host.js";

export const CliConfigSchema = z.object({
  gateway: z.string().optional(),
  token: z.string().optional(),
  cluster: z.string().optional(),
});
export type CliConfig = z.infer<typeof CliConfigSchema>;

/** Where the config lives, or undefined when neither FLOTILLA_CONFIG nor a home directory is known. */
export function configPath(host: CliHost): string | undefined {
  const { env } = host;
  if (env.FLOTILLA_CONFIG) return env.FLOTILLA_CONFIG;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, "flotilla", "config.json");
  const home = env.HOME || host.homedir;
  return home ? join(home, ".config", "flotilla", "config.json") : undefined;
}

/** The config at `path`; empty when there is none. */
export async function readConfig(path: string | undefined): Promise<CliConfig> {
  if (!path) return {};
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw new CliError(`cannot read the config ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(
      `the config ${path} is not JSON (${(e as Error).message}); fix it, or delete it and run flotilla login again`,
    );
  }
  const parsed = CliConfigSchema.safeParse(json);
  if (!parsed.success) {
    throw new CliError(`the config ${path} is not a Flotilla config; delete it and run flotilla login again`);
  }
  return parsed.data;
}

const needPath = () =>
  usageError("cannot tell where to keep the config: set FLOTILLA_CONFIG (or HOME / XDG_CONFIG_HOME)");

/**
 * Writes the config owner-only (file 0600; a directory it creates 0700), through a temporary
 * file and a rename so that a crash never leaves half a token behind.
 */
export async function writeConfig(path: string | undefined, config: CliConfig): Promise<string> {
  if (!path) throw needPath();
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(temp, 0o600);
  await rename(temp, path);
  return path;
}

/** Deletes the config; false when there was none. */
export async function removeConfig(path: string | undefined): Promise<boolean> {
  if (!path) return false;
  try {
    await readFile(path);
  } catch {
    return false;
  }
  await rm(path, { force: true });
  return true;
}

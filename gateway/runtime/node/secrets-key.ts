/**
 * The secret store's key on Node when FLOTILLA_SECRETS_KEY is not set: generated on the first
 * start (32 random bytes, base64) into a file of the data directory with mode 0600, and read
 * from it on later starts. Losing the file loses every stored secret; back it up with the
 * database, or set FLOTILLA_SECRETS_KEY yourself.
 */
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { ConfigError } from "../../config.js";

export interface LoadedSecretsKey {
  key: Uint8Array;
  /** The file was made by this call. */
  created: boolean;
  /** Group or others may read the file (a warning for the log). */
  exposed: boolean;
}

async function readKey(file: string): Promise<LoadedSecretsKey> {
  const text = (await readFile(file, "utf8")).trim();
  const key = new Uint8Array(Buffer.from(text, "base64"));
  if (key.length !== 32 || Buffer.from(key).toString("base64") !== text.replace(/\s/g, ""))
    throw new ConfigError(
      `the secrets key file ${file} does not hold the base64 of 32 bytes: restore it from a backup, or set FLOTILLA_SECRETS_KEY`,
    );
  const { mode } = await stat(file);
  return { key, created: false, exposed: (mode & 0o077) !== 0 };
}

export async function loadOrCreateSecretsKey(file: string): Promise<LoadedSecretsKey> {
  try {
    return await readKey(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const key = new Uint8Array(randomBytes(32));
  try {
    // `wx`: a second gateway starting at the same moment must not overwrite the first one's key.
    await writeFile(file, `${Buffer.from(key).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return readKey(file);
    throw e;
  }
  await chmod(file, 0o600); // the umask may have narrowed, never widened, the mode; make it exact
  return { key, created: true, exposed: false };
}

/**
 * `flotilla secret set <cluster> <path>`: create or replace a secret. The value comes from
 * standard input (one trailing newline dropped) or a file (exactly), not from an argument that
 * would land in shell history and the process list; `--value` exists for scripts, with a warning.
 */
import { readFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { PutSecretResponse } from "../../../gateway/contract/secrets.js";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { usageError } from "../../errors.js";
import { openSession, type Session } from "../../session.js";

const utf8 = (bytes: Uint8Array, from: string): string => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw usageError(`${from} is not UTF-8 text; encode binary values first (e.g. base64)`);
  }
};

async function secretValue(s: Session, args: { fromFile?: string | undefined; value?: string | undefined }) {
  if (args.fromFile !== undefined && args.value !== undefined)
    throw usageError("give the value one way: standard input, --from-file or --value");
  if (args.value !== undefined) {
    s.out.error(
      "warning: --value leaves the secret in your shell history and the process list; prefer standard input or --from-file",
    );
    return args.value;
  }
  if (args.fromFile !== undefined) {
    if (args.fromFile === "") throw usageError("--from-file needs a file name");
    let bytes: Uint8Array;
    try {
      bytes = await readFile(args.fromFile);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw usageError(
        `--from-file ${args.fromFile}: ${code === "ENOENT" ? "no such file" : (e as Error).message}`,
      );
    }
    return utf8(bytes, args.fromFile);
  }
  const { readStdin, stdinIsTTY } = s.out.host;
  if (!readStdin || stdinIsTTY)
    throw usageError(
      "give the value on standard input (printf %s 'value' | flotilla secret set …) or with --from-file <file>; it is not read from a terminal, where it would echo",
    );
  const value = utf8(await readStdin(), "standard input").replace(/\r?\n$/, "");
  // Most likely nothing was piped in (a script's empty variable, a redirect from /dev/null).
  if (value === "")
    throw usageError("standard input was empty: pipe the value in (an empty secret needs --value '')");
  return value;
}

export default defineCommand({
  meta: {
    name: "set",
    description:
      "Create or replace a secret of a cluster (admin). The value is never shown again.\n" +
      "It is read from standard input (one trailing newline dropped) or from --from-file (exactly as stored).\n\n" +
      "Examples:\n  flotilla secret set edge-1 tls/key --from-file ./server.key\n" +
      "  printf %s 's3cret' | flotilla secret set edge-1 db/password\n" +
      "  pass show db | flotilla secret set edge-1 db/password",
  },
  args: {
    cluster: { type: "positional", description: "Cluster name or id", required: true },
    path: { type: "positional", description: "Secret path, e.g. db/password", required: true },
    fromFile: { type: "string", valueHint: "file", description: "Read the value from this file" },
    value: {
      type: "string",
      valueHint: "text",
      description: "The value itself (lands in shell history: prefer stdin or --from-file)",
    },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const value = await secretValue(s, args);
    const { data: secret, raw } = await s.api.request(
      PutSecretResponse,
      "PUT",
      apiPath`/v1/clusters/${args.cluster}/secrets/${args.path}`,
      { json: { value } },
    );
    if (s.json) s.out.json(raw);
    else
      s.out.line(
        `${secret.created ? "Created" : "Replaced"} secret ${secret.path} of cluster ${args.cluster}.`,
      );
    return 0;
  },
});

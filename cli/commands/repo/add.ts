/**
 * `flotilla repo add <name> <path>` or `--url`: a Universe tree folder (packed as a .tgz and
 * uploaded), a .tgz of one, a built JSON index, or a URL the gateway fetches itself (only when
 * it was started with FLOTILLA_ALLOW_REPOSITORY_URLS=true).
 */
import { defineCommand } from "citty";
import { RepositoryImportSchema } from "../../../gateway/contract/catalog.js";
import { gatewayArgs } from "../../args.js";
import { usageError } from "../../errors.js";
import { repositoryUpload } from "../../repository-upload.js";
import { openSession } from "../../session.js";
import { printImport } from "./report.js";

export function parseIndexFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw usageError(`--index ${value}: give a position, 0 for first`);
  return n;
}

export default defineCommand({
  meta: {
    name: "add",
    description:
      "Add a repository: a Universe tree folder, a .tgz of one, a built JSON index, or --url.\n" +
      "Revisions that fail to import are listed; the rest are added.\n\n" +
      "Examples:\n  flotilla repo add universe ./universe\n  flotilla repo add mirror repo-v4.json --index 0   # first in priority\n" +
      "  flotilla repo add upstream --url https://universe.example.com/repo/repo-up-to-1.10.json",
  },
  args: {
    name: { type: "positional", description: "Repository name", required: true },
    path: { type: "positional", description: "Tree folder, .tgz or index file", required: false },
    url: { type: "string", valueHint: "url", description: "Have the gateway fetch this URL instead" },
    index: {
      type: "string",
      valueHint: "n",
      description: "Position in the priority order (0 first; default last)",
    },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const index = parseIndexFlag(args.index);
    if (args.path && args.url) throw usageError("give a path or --url, not both");
    if (!args.path && !args.url)
      throw usageError("give the tree folder, .tgz or index file to add, or --url <url>");
    const s = await openSession(data, args);
    const reply = args.url
      ? await s.api.request(RepositoryImportSchema, "POST", "/v1/repositories", {
          json: { name: args.name, url: args.url, ...(index !== undefined && { index }) },
        })
      : await (async () => {
          const upload = await repositoryUpload(args.path as string);
          return s.api.request(RepositoryImportSchema, "POST", "/v1/repositories", {
            query: { name: args.name, index },
            body: upload.body,
            contentType: upload.contentType,
          });
        })();
    if (s.json) s.out.json(reply.raw);
    else printImport(s.out, "Added", reply.data);
    return 0;
  },
});

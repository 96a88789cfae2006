/**
 * `flotilla repo import <name> [path]`: replaces a repository's revisions in one step, from a
 * tree folder, .tgz or index, or — without a path — by having the gateway fetch its URL again.
 */
import { defineCommand } from "citty";
import { RepositoryImportSchema } from "../../../gateway/contract/catalog.js";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { repositoryUpload } from "../../repository-upload.js";
import { openSession } from "../../session.js";
import { printImport } from "./report.js";

export default defineCommand({
  meta: {
    name: "import",
    description:
      "Re-import a repository: upload a new tree folder, .tgz or index, or re-fetch its URL.\n" +
      "The old revisions are replaced at once; installs keep running what they have.\n\n" +
      "Examples:\n  flotilla repo import universe ./universe   # after a git pull\n" +
      "  flotilla repo import upstream               # fetch its URL again",
  },
  args: {
    name: { type: "positional", description: "Repository name", required: true },
    path: { type: "positional", description: "Tree folder, .tgz or index file", required: false },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const path = apiPath`/v1/repositories/${args.name}/refresh`;
    const upload = args.path ? await repositoryUpload(args.path) : undefined;
    const reply = await s.api.request(
      RepositoryImportSchema,
      "POST",
      path,
      upload ? { body: upload.body, contentType: upload.contentType } : {},
    );
    if (s.json) s.out.json(reply.raw);
    else printImport(s.out, "Imported", reply.data);
    return 0;
  },
});

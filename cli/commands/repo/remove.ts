/** `flotilla repo remove <name>`: deletes a repository and its package revisions. */
import { defineCommand } from "citty";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "remove",
    description:
      "Remove a repository and its package revisions from the catalog (installs keep running).\n\n" +
      "Examples:\n  flotilla repo remove mirror",
  },
  args: {
    name: { type: "positional", description: "Repository name", required: true },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    await s.api.requestEmpty("DELETE", apiPath`/v1/repositories/${args.name}`);
    if (s.json) s.out.json({ removed: args.name });
    else s.out.line(`Removed repository ${args.name}.`);
    return 0;
  },
});

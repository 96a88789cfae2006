/** `flotilla cluster delete <name> --yes`: removes a cluster with its agents, tokens and installs. */
import { defineCommand } from "citty";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { usageError } from "../../errors.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "delete",
    description:
      "Delete a cluster with its agents, join tokens and installs. Asks for --yes, since it cannot be undone.\n\n" +
      "Examples:\n  flotilla cluster delete edge-1 --yes",
  },
  args: {
    name: { type: "positional", description: "Cluster name or id", required: true },
    yes: { type: "boolean", description: "Confirm the deletion" },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    if (!args.yes) {
      throw usageError(
        `deleting ${args.name} removes its agents, tokens and installs; run again with --yes to confirm`,
      );
    }
    await s.api.requestEmpty("DELETE", apiPath`/v1/clusters/${args.name}`);
    if (s.json) s.out.json({ deleted: args.name });
    else s.out.line(`Deleted cluster ${args.name}.`);
    return 0;
  },
});

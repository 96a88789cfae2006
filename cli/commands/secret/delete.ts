/** `flotilla secret delete <cluster> <path>`: remove a secret; running tasks keep their env. */
import { defineCommand } from "citty";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "delete",
    description:
      "Delete a secret of a cluster (admin). Tasks already running keep the value they started with;\n" +
      "new launches of apps that refer to it fail until it is set again.\n\n" +
      "Examples:\n  flotilla secret delete edge-1 db/password",
  },
  args: {
    cluster: { type: "positional", description: "Cluster name or id", required: true },
    path: { type: "positional", description: "Secret path, e.g. db/password", required: true },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    await s.api.requestEmpty("DELETE", apiPath`/v1/clusters/${args.cluster}/secrets/${args.path}`);
    if (s.json) s.out.json({ deleted: args.path, cluster: args.cluster });
    else s.out.line(`Deleted secret ${args.path} of cluster ${args.cluster}.`);
    return 0;
  },
});

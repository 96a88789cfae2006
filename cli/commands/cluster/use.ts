/** `flotilla cluster use <name>`: the cluster commands act on when no --cluster is given. */
import { defineCommand } from "citty";
import { ClusterSchema } from "../../../gateway/contract/clusters.js";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { readConfig, writeConfig } from "../../config/file.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "use",
    description:
      "Make a cluster the default for cluster-scoped commands.\n" +
      "It is kept in the config file; --cluster and FLOTILLA_CLUSTER still override it.\n\n" +
      "Examples:\n  flotilla cluster use edge-1\n  flotilla package list   # now lists edge-1's installs",
  },
  args: {
    name: { type: "positional", description: "Cluster name or id", required: true },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const { data: cluster } = await s.api.request(ClusterSchema, "GET", apiPath`/v1/clusters/${args.name}`);
    const path = s.connection.configPath;
    const config = await readConfig(path);
    await writeConfig(path, { ...config, cluster: cluster.name });
    if (s.json) s.out.json({ cluster: cluster.name, id: cluster.id, config: path });
    else s.out.line(`Now using cluster ${cluster.name} (${cluster.id}).`);
    return 0;
  },
});

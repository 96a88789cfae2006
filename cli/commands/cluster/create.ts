/** `flotilla cluster create <name>`: a new, empty cluster. */
import { defineCommand } from "citty";
import { ClusterSchema } from "../../../gateway/contract/clusters.js";
import { gatewayArgs, repeated } from "../../args.js";
import { usageError } from "../../errors.js";
import { openSession } from "../../session.js";
import { printCluster } from "./show.js";

/** `--label k=v` pairs → a labels object. */
export function parseLabels(pairs: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw usageError(`--label ${pair}: write it as key=value (e.g. site=berlin)`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}

export default defineCommand({
  meta: {
    name: "create",
    description:
      "Create a cluster. Its agents join with a token from flotilla cluster token.\n\n" +
      "Examples:\n  flotilla cluster create edge-1\n  flotilla cluster create edge-2 --label site=berlin --label tier=prod",
  },
  args: {
    name: {
      type: "positional",
      description: "Cluster name (lower-case letters, digits, hyphens)",
      required: true,
    },
    label: { type: "string", valueHint: "key=value", description: "A label (repeatable)" },
    ...gatewayArgs,
  },
  async run({ args, rawArgs, data }) {
    const s = await openSession(data, args);
    const labels = parseLabels(repeated(rawArgs, "label"));
    const { data: cluster, raw } = await s.api.request(ClusterSchema, "POST", "/v1/clusters", {
      json: { name: args.name, labels },
    });
    if (s.json) s.out.json(raw);
    else {
      s.out.line(`Created cluster ${cluster.name} (${cluster.id}).`);
      printCluster(s.out, cluster);
      s.out.line(`Next: flotilla cluster token ${cluster.name}   # a join token for its first agent`);
    }
    return 0;
  },
});

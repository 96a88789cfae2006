/** `flotilla cluster show [name]`: one cluster, its labels and its agents' health. */
import { defineCommand } from "citty";
import type { Cluster } from "../../../gateway/contract/clusters.js";
import { ClusterSchema } from "../../../gateway/contract/clusters.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs } from "../../args.js";
import { renderFields, shortTime } from "../../format/table.js";
import type { Output } from "../../output.js";
import { openSession } from "../../session.js";

export const labelsText = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");

export const agentsText = (a: Cluster["agents"]) => `${a.healthy} healthy, ${a.stale} stale, ${a.lost} lost`;

export function printCluster(out: Output, c: Cluster): void {
  for (const line of renderFields([
    ["Name", c.name],
    ["ID", c.id],
    ["Labels", labelsText(c.labels)],
    ["Agents", agentsText(c.agents)],
    ["Desired revision", c.desiredRevision],
    ["Created", shortTime(c.createdAt)],
  ]))
    out.line(line);
}

export default defineCommand({
  meta: {
    name: "show",
    description:
      "Show a cluster (the default cluster when no name is given).\n\n" +
      "Examples:\n  flotilla cluster show edge-1\n  flotilla cluster show --json",
  },
  args: {
    name: { type: "positional", description: "Cluster name or id", required: false },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const name = args.name ?? s.cluster();
    const { data: cluster, raw } = await s.api.request(ClusterSchema, "GET", apiPath`/v1/clusters/${name}`);
    if (s.json) s.out.json(raw);
    else printCluster(s.out, cluster);
    return 0;
  },
});

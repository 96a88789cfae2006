/** `flotilla cluster list`: every cluster the token may see, the default one marked. */
import { defineCommand } from "citty";
import { ClusterListSchema } from "../../api/lists.js";
import { clusterArgs } from "../../args.js";
import { renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";
import { labelsText } from "./show.js";

export default defineCommand({
  meta: {
    name: "list",
    description:
      "List clusters with their agents' health; * marks the current cluster.\n\n" +
      "Examples:\n  flotilla cluster list\n  flotilla cluster list --json | jq -r '.clusters[].name'",
  },
  args: { ...clusterArgs },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const { data: list, raw } = await s.api.request(ClusterListSchema, "GET", "/v1/clusters");
    if (s.json) {
      s.out.json(raw);
      return 0;
    }
    if (list.clusters.length === 0) {
      s.out.line("No clusters yet. Create one: flotilla cluster create <name>");
      return 0;
    }
    const current = s.connection.cluster?.value;
    const table = renderTable(
      list.clusters,
      [
        { header: "CURRENT", value: (c) => (c.name === current || c.id === current ? "*" : " ") },
        { header: "NAME", value: (c) => c.name },
        { header: "ID", value: (c) => c.id },
        {
          header: "AGENTS",
          value: (c) => `${c.agents.healthy}/${c.agents.healthy + c.agents.stale + c.agents.lost}`,
        },
        { header: "REVISION", value: (c) => c.desiredRevision, align: "right" },
        { header: "LABELS", value: (c) => labelsText(c.labels) },
        { header: "CREATED", value: (c) => shortTime(c.createdAt) },
      ],
      s.out.color,
    );
    for (const line of table) s.out.line(line);
    return 0;
  },
});

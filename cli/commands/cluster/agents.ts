/** `flotilla cluster agents [name]`: the agents of a cluster and when each was last heard from. */
import { defineCommand } from "citty";
import { apiPath } from "../../api/client.js";
import { AgentListSchema } from "../../api/lists.js";
import { clusterArgs } from "../../args.js";
import { renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "agents",
    description:
      "List a cluster's agents: healthy, stale or lost, last seen, which one holds the scheduling lease.\n\n" +
      "Examples:\n  flotilla cluster agents edge-1\n  flotilla cluster agents --json",
  },
  args: {
    name: { type: "positional", description: "Cluster name or id", required: false },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = args.name ?? s.cluster();
    const { data: list, raw } = await s.api.request(
      AgentListSchema,
      "GET",
      apiPath`/v1/clusters/${cluster}/agents`,
    );
    if (s.json) s.out.json(raw);
    else if (list.agents.length === 0)
      s.out.line(`No agents in ${cluster} yet. Make a join token for one: flotilla cluster token ${cluster}`);
    else
      for (const line of renderTable(
        list.agents,
        [
          { header: "HOSTNAME", value: (a) => a.hostname },
          { header: "ID", value: (a) => a.id },
          { header: "STATE", value: (a) => a.state },
          { header: "LEASE", value: (a) => (a.leaseHolder ? "holder" : "") },
          { header: "LAST SEEN", value: (a) => shortTime(a.lastSeenAt) },
        ],
        s.out.color,
      ))
        s.out.line(line);
    return 0;
  },
});

/** `flotilla secret list <cluster>`: the cluster's secret paths and who set them, never values. */
import { defineCommand } from "citty";
import { apiPath } from "../../api/client.js";
import { SecretListSchema } from "../../api/lists.js";
import { gatewayArgs } from "../../args.js";
import { renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "list",
    description:
      "List the secrets of a cluster: paths, when and by whom they were set (operator; values are never shown).\n\n" +
      "Examples:\n  flotilla secret list edge-1\n  flotilla secret list edge-1 --json | jq -r '.secrets[].path'",
  },
  args: {
    cluster: { type: "positional", description: "Cluster name or id", required: true },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const { data: list, raw } = await s.api.request(
      SecretListSchema,
      "GET",
      apiPath`/v1/clusters/${args.cluster}/secrets`,
    );
    if (s.json) s.out.json(raw);
    else if (list.secrets.length === 0)
      s.out.line(`No secrets in cluster ${args.cluster} yet (flotilla secret set ${args.cluster} <path>).`);
    else
      for (const line of renderTable(
        list.secrets,
        [
          { header: "PATH", value: (x) => x.path },
          { header: "UPDATED", value: (x) => shortTime(x.updatedAt) },
          { header: "UPDATED BY", value: (x) => x.updatedBy },
          { header: "CREATED", value: (x) => shortTime(x.createdAt) },
        ],
        s.out.color,
      ))
        s.out.line(line);
    return 0;
  },
});

/** `flotilla package list`: what is installed on a cluster. */
import { defineCommand } from "citty";
import { apiPath } from "../../api/client.js";
import { InstallListSchema } from "../../api/lists.js";
import { clusterArgs } from "../../args.js";
import { renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "list",
    description:
      "List the installs of a cluster: service id, package, version, revision.\n\n" +
      "Examples:\n  flotilla package list\n  flotilla package list --cluster edge-1 --json",
  },
  args: { ...clusterArgs },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: list, raw } = await s.api.request(
      InstallListSchema,
      "GET",
      apiPath`/v1/clusters/${cluster}/installs`,
    );
    if (s.json) s.out.json(raw);
    else if (list.installs.length === 0)
      s.out.line(
        `Nothing installed on ${cluster}. Try: flotilla package install <name> --cluster ${cluster}`,
      );
    else
      for (const line of renderTable(
        list.installs,
        [
          { header: "APP ID", value: (i) => i.appId },
          { header: "PACKAGE", value: (i) => i.package },
          { header: "VERSION", value: (i) => i.version },
          { header: "REVISION", value: (i) => i.revision, align: "right" },
          { header: "UPDATED", value: (i) => shortTime(i.updatedAt) },
        ],
        s.out.color,
      ))
        s.out.line(line);
    return 0;
  },
});

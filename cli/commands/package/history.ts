/** `flotilla package history <appId>`: every revision of an install, oldest first. */
import { defineCommand } from "citty";
import { HistorySchema } from "../../../gateway/contract/installs.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs } from "../../args.js";
import { clip, renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "history",
    description:
      "Show an install's revisions, oldest first; * marks the current one.\n" +
      "Each shows why it was made (install, update, rollback), by whom, the version and the user options.\n" +
      "Roll back to any of them with flotilla package rollback.\n\n" +
      "Examples:\n  flotilla package history /hello-http\n  flotilla package history /hello-http --json",
  },
  args: {
    appId: { type: "positional", description: "The install's service id", required: true },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: h, raw } = await s.api.request(
      HistorySchema,
      "GET",
      apiPath`/v1/clusters/${cluster}/installs/${args.appId}/history`,
    );
    if (s.json) s.out.json(raw);
    else
      for (const line of renderTable(
        h.revisions,
        [
          { header: "CURRENT", value: (r) => (r.current ? "*" : " ") },
          { header: "REVISION", value: (r) => r.revision, align: "right" },
          {
            header: "REASON",
            value: (r) => (r.restoredRevision !== null ? `${r.reason} to ${r.restoredRevision}` : r.reason),
          },
          { header: "VERSION", value: (r) => r.version },
          { header: "BY", value: (r) => r.createdBy },
          { header: "WHEN", value: (r) => shortTime(r.createdAt) },
          { header: "OPTIONS", value: (r) => clip(JSON.stringify(r.userOptions), 60) },
        ],
        s.out.color,
      ))
        s.out.line(line);
    return 0;
  },
});

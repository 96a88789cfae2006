/** `flotilla repo list`: repositories, highest priority first. */
import { defineCommand } from "citty";
import { RepositoryListSchema } from "../../../gateway/contract/catalog.js";
import { gatewayArgs } from "../../args.js";
import { renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "list",
    description:
      "List repositories in priority order (a package name found in several comes from the first).\n\n" +
      "Examples:\n  flotilla repo list\n  flotilla repo list --json",
  },
  args: { ...gatewayArgs },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const { data: list, raw } = await s.api.request(RepositoryListSchema, "GET", "/v1/repositories");
    if (s.json) s.out.json(raw);
    else if (list.repositories.length === 0)
      s.out.line("No repositories yet. Add one: flotilla repo add <name> <universe-folder|index.json>");
    else
      for (const line of renderTable(
        list.repositories,
        [
          { header: "INDEX", value: (r) => r.index, align: "right" },
          { header: "NAME", value: (r) => r.name },
          { header: "KIND", value: (r) => r.kind },
          { header: "REVISIONS", value: (r) => r.revisions, align: "right" },
          { header: "IMPORTED", value: (r) => shortTime(r.importedAt) },
          { header: "URL", value: (r) => r.uri },
        ],
        s.out.color,
      ))
        s.out.line(line);
    return 0;
  },
});

/** `flotilla package search [words]`: the catalog, best matches first. */
import { defineCommand } from "citty";
import { SearchResultSchema } from "../../../gateway/contract/catalog.js";
import { gatewayArgs } from "../../args.js";
import { usageError } from "../../errors.js";
import { clip, renderTable } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "search",
    description:
      "Search packages by name, tag and description (every word must match; * is a glob).\n" +
      "Without words, lists every package.\n\n" +
      "Examples:\n  flotilla package search\n  flotilla package search 'http server'\n  flotilla package search 'hello*' --json",
  },
  args: {
    query: { type: "positional", description: "Words to look for (quote several)", required: false },
    limit: {
      type: "string",
      valueHint: "n",
      default: "50",
      description: "At most this many results (1–100)",
    },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const limit = Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw usageError(`--limit ${args.limit}: give 1 to 100`);
    const s = await openSession(data, args);
    const words = args.query?.trim() ?? "";
    const { data: found, raw } = await s.api.request(SearchResultSchema, "GET", "/v1/packages", {
      query: { q: words || undefined, limit },
    });
    if (s.json) {
      s.out.json(raw);
      return 0;
    }
    if (found.results.length === 0) {
      s.out.line(
        words
          ? `No package matches "${words}".`
          : "The catalog is empty. Add a repository: flotilla repo add",
      );
      return 0;
    }
    for (const line of renderTable(
      found.results,
      [
        { header: "NAME", value: (p) => p.name },
        { header: "VERSION", value: (p) => p.currentVersion },
        { header: "VERSIONS", value: (p) => Object.keys(p.versions).length, align: "right" },
        { header: "TAGS", value: (p) => clip(p.tags.join(","), 30) },
        { header: "DESCRIPTION", value: (p) => clip(p.description, 70) },
      ],
      s.out.color,
    ))
      s.out.line(line);
    if (found.total > found.results.length) {
      s.out.line(`(${found.results.length} of ${found.total}; narrow the search or raise --limit)`);
    }
    return 0;
  },
});

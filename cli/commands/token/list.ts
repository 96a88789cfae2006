/** `flotilla token list`: API tokens without their secrets. */
import { defineCommand } from "citty";
import { TokenListSchema } from "../../api/lists.js";
import { gatewayArgs } from "../../args.js";
import { renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "list",
    description:
      "List API tokens (never their secrets), revoked ones included.\n\n" +
      "Examples:\n  flotilla token list\n  flotilla token list --json | jq '.tokens[] | select(.revoked | not)'",
  },
  args: { ...gatewayArgs },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const { data: list, raw } = await s.api.request(TokenListSchema, "GET", "/v1/tokens");
    if (s.json) s.out.json(raw);
    else if (list.tokens.length === 0)
      s.out.line("No API tokens yet (the bootstrap admin token is not listed).");
    else
      for (const line of renderTable(
        list.tokens,
        [
          { header: "ID", value: (t) => t.id },
          { header: "NAME", value: (t) => t.name },
          { header: "ROLE", value: (t) => t.role },
          { header: "CLUSTERS", value: (t) => t.clusters?.join(",") ?? "all" },
          { header: "REVOKED", value: (t) => (t.revoked ? "yes" : "no") },
          { header: "CREATED BY", value: (t) => t.createdBy },
          { header: "CREATED", value: (t) => shortTime(t.createdAt) },
        ],
        s.out.color,
      ))
        s.out.line(line);
    return 0;
  },
});

/** `flotilla token create <name> --role …`: a new API token, its secret shown once. */
import { defineCommand } from "citty";
import { CreatedTokenSchema, RoleSchema } from "../../../gateway/contract/tokens.js";
import { gatewayArgs } from "../../args.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "create",
    description:
      "Create an API token. Its secret is printed once: store it now.\n" +
      "Roles: viewer (read), operator (install, scale, run jobs), admin (clusters, repositories, tokens).\n\n" +
      "Examples:\n  flotilla token create dashboard --role viewer\n" +
      "  flotilla token create deployer --role operator --clusters edge-1,edge-2\n" +
      "  flotilla token create ci --role operator --json | jq -r .token",
  },
  args: {
    name: { type: "positional", description: "What the token is for", required: true },
    role: { type: "enum", options: [...RoleSchema.options], description: "What it may do", required: true },
    clusters: {
      type: "string",
      valueHint: "a,b",
      description: "Limit it to these clusters (names or ids, comma-separated)",
    },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const clusters = args.clusters
      ?.split(",")
      .map((c) => c.trim())
      .filter(Boolean);
    const { data: token, raw } = await s.api.request(CreatedTokenSchema, "POST", "/v1/tokens", {
      json: { name: args.name, role: args.role, ...(clusters?.length && { clusters }) },
    });
    if (s.json) s.out.json(raw);
    else {
      const scope = token.clusters ? `clusters ${token.clusters.join(", ")}` : "every cluster";
      s.out.line(
        `Created token ${token.id} "${token.name}" (${token.role}, ${scope}). Its secret is shown only now:`,
      );
      s.out.line(`  ${token.token}`);
    }
    return 0;
  },
});

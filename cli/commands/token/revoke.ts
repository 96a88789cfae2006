/** `flotilla token revoke <id>`: the token stops working at once. */
import { defineCommand } from "citty";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "revoke",
    description:
      "Revoke an API token; requests with it are refused from now on.\n\n" +
      "Examples:\n  flotilla token revoke tok_…\n  flotilla token list   # find the id",
  },
  args: {
    id: { type: "positional", description: "The token's id (from flotilla token list)", required: true },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    await s.api.requestEmpty("DELETE", apiPath`/v1/tokens/${args.id}`);
    if (s.json) s.out.json({ revoked: args.id });
    else s.out.line(`Revoked token ${args.id}.`);
    return 0;
  },
});

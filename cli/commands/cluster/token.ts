/**
 * `flotilla cluster token [name]`: a join token an agent presents once to join the cluster
 * (it then holds its own credential). `--list` shows the cluster's tokens, `--revoke` ends one.
 */
import { defineCommand } from "citty";
import { CreatedJoinTokenSchema } from "../../../gateway/contract/clusters.js";
import { apiPath } from "../../api/client.js";
import { JoinTokenListSchema } from "../../api/lists.js";
import { clusterArgs } from "../../args.js";
import { usageError } from "../../errors.js";
import { renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";

const positiveInt = (flag: string, value: string | undefined): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw usageError(`--${flag} ${value}: give a whole number above 0`);
  return n;
};

export default defineCommand({
  meta: {
    name: "token",
    description:
      "Create a join token for a cluster's agents (the default cluster when no name is given).\n" +
      "The token is printed once; give it to flotilla-agent on the host that should join.\n\n" +
      "Examples:\n  flotilla cluster token edge-1\n  flotilla cluster token edge-1 --ttl 86400 --max-uses 10\n" +
      "  flotilla cluster token edge-1 --list\n  flotilla cluster token edge-1 --revoke jt_…",
  },
  args: {
    name: { type: "positional", description: "Cluster name or id", required: false },
    ttl: { type: "string", valueHint: "seconds", description: "How long the token is valid (default 3600)" },
    "max-uses": {
      type: "string",
      valueHint: "n",
      description: "How many agents may join with it (default 1)",
    },
    list: { type: "boolean", description: "List the cluster's join tokens instead" },
    revoke: { type: "string", valueHint: "id", description: "Revoke the join token with this id instead" },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = args.name ?? s.cluster();
    if (args.list) {
      const { data: list, raw } = await s.api.request(
        JoinTokenListSchema,
        "GET",
        apiPath`/v1/clusters/${cluster}/join-tokens`,
      );
      if (s.json) s.out.json(raw);
      else if (list.joinTokens.length === 0) s.out.line(`No join tokens for ${cluster}.`);
      else
        for (const line of renderTable(
          list.joinTokens,
          [
            { header: "ID", value: (t) => t.id },
            { header: "USES", value: (t) => `${t.uses}/${t.maxUses}` },
            { header: "EXPIRES", value: (t) => shortTime(t.expiresAt) },
            { header: "REVOKED", value: (t) => (t.revoked ? "yes" : "no") },
            { header: "CREATED", value: (t) => shortTime(t.createdAt) },
          ],
          s.out.color,
        ))
          s.out.line(line);
      return 0;
    }
    if (args.revoke !== undefined) {
      if (!args.revoke) throw usageError("--revoke needs the join token's id (see --list)");
      await s.api.requestEmpty("DELETE", apiPath`/v1/clusters/${cluster}/join-tokens/${args.revoke}`);
      if (s.json) s.out.json({ revoked: args.revoke });
      else s.out.line(`Revoked join token ${args.revoke} of ${cluster}.`);
      return 0;
    }
    const body: Record<string, number> = {};
    const ttl = positiveInt("ttl", args.ttl);
    const maxUses = positiveInt("max-uses", args["max-uses"]);
    if (ttl !== undefined) body.ttlSeconds = ttl;
    if (maxUses !== undefined) body.maxUses = maxUses;
    const { data: token, raw } = await s.api.request(
      CreatedJoinTokenSchema,
      "POST",
      apiPath`/v1/clusters/${cluster}/join-tokens`,
      { json: body },
    );
    if (s.json) s.out.json(raw);
    else {
      s.out.line(
        `Join token ${token.id} for cluster ${cluster}: valid until ${shortTime(token.expiresAt)}, ${token.maxUses} use${token.maxUses === 1 ? "" : "s"}. It is shown only now:`,
      );
      s.out.line(`  ${token.token}`);
    }
    return 0;
  },
});

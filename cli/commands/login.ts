/**
 * `flotilla login <url> --token …`: checks the token against the gateway, then keeps both in the
 * user's config (owner-only) so later commands need neither. The token is never printed.
 */
import { defineCommand } from "citty";
import { createClient } from "../api/client.js";
import { ClusterListSchema } from "../api/lists.js";
import { jsonArg } from "../args.js";
import { maskToken, normalizeGatewayUrl } from "../config/connection.js";
import { configPath, readConfig, writeConfig } from "../config/file.js";
import { contextOf } from "../context.js";
import { usageError } from "../errors.js";

export default defineCommand({
  meta: {
    name: "login",
    description:
      "Check a token against a gateway and remember both in the user's config (mode 0600).\n\n" +
      "Examples:\n  flotilla login http://127.0.0.1:8080 --token flt_…\n" +
      "  FLOTILLA_TOKEN=flt_… flotilla login https://flotilla.example.com\n" +
      "  FLOTILLA_CONFIG=./ci-config.json flotilla login $URL --token $TOKEN   # another config file",
  },
  args: {
    url: { type: "positional", description: "The gateway's URL", required: true },
    token: { type: "string", valueHint: "flt_…", description: "API token (default: FLOTILLA_TOKEN)" },
    ...jsonArg,
  },
  async run({ args, data }) {
    const out = contextOf(data);
    const gateway = normalizeGatewayUrl(args.url);
    const token = args.token || out.host.env.FLOTILLA_TOKEN;
    if (!token) throw usageError("give the token with --token flt_… (or set FLOTILLA_TOKEN)");
    const api = createClient({ gateway, token, fetch: out.host.fetch });
    const { data: listed } = await api.request(ClusterListSchema, "GET", "/v1/clusters");

    const path = configPath(out.host);
    const previous = await readConfig(path);
    // A default cluster belongs to the gateway it was chosen on.
    const keep = previous.gateway === gateway && previous.cluster ? { cluster: previous.cluster } : {};
    await writeConfig(path, { gateway, token, ...keep });
    if (args.json) {
      out.json({ gateway, token: maskToken(token), config: path, clusters: listed.clusters.length });
    } else {
      out.line(
        `Logged in to ${gateway} with token ${maskToken(token)} (${listed.clusters.length} clusters visible).`,
      );
      out.line(`Saved to ${path}.`);
      if (listed.clusters.length > 0 && !keep.cluster) {
        out.line(`Choose a default cluster with: flotilla cluster use ${listed.clusters[0]?.name}`);
      }
    }
    return 0;
  },
});

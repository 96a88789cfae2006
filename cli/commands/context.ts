/**
 * `flotilla context`: which gateway, token and cluster the next command would use, and where
 * each came from (flag, environment or config file). The token is shown masked.
 */
import { defineCommand } from "citty";
import { clusterArgs } from "../args.js";
import { maskToken, resolveConnection, type Setting } from "../config/connection.js";
import { contextOf } from "../context.js";
import { renderFields } from "../format/table.js";

const describe = (s: Setting | undefined, show = (v: string) => v) =>
  s ? `${show(s.value)} (from ${s.source === "env" ? "environment" : s.source})` : "not set";

export default defineCommand({
  meta: {
    name: "context",
    description:
      "Show the gateway, token (masked) and cluster commands use, and where each comes from.\n" +
      "Precedence: flag, then FLOTILLA_GATEWAY / FLOTILLA_TOKEN / FLOTILLA_CLUSTER, then the config.\n\n" +
      "Examples:\n  flotilla context\n  FLOTILLA_CLUSTER=edge-2 flotilla context --json",
  },
  args: { ...clusterArgs },
  async run({ args, data }) {
    const out = contextOf(data);
    const c = await resolveConnection(out.host, args);
    if (args.json) {
      const view = (s: Setting | undefined, mask = false) =>
        s ? { value: mask ? maskToken(s.value) : s.value, source: s.source } : null;
      out.json({
        gateway: view(c.gateway),
        token: view(c.token, true),
        cluster: view(c.cluster),
        config: c.configPath ?? null,
      });
      return 0;
    }
    for (const line of renderFields([
      ["Gateway", describe(c.gateway)],
      ["Token", describe(c.token, maskToken)],
      ["Cluster", describe(c.cluster)],
      ["Config", c.configPath ?? "none (set FLOTILLA_CONFIG or HOME)"],
    ]))
      out.line(line);
    return 0;
  },
});

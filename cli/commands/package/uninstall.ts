/** `flotilla package uninstall <appId>`: removes an install; its tasks are stopped by the agents. */
import { defineCommand } from "citty";
import { UninstallResultSchema } from "../../../gateway/contract/installs.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs } from "../../args.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "uninstall",
    description:
      "Uninstall a package from a cluster. An install other installs depend on is refused unless --force.\n\n" +
      "Examples:\n  flotilla package uninstall /hello-http\n  flotilla package uninstall /hello-http --cluster edge-1 --force",
  },
  args: {
    appId: { type: "positional", description: "The install's service id", required: true },
    force: { type: "boolean", description: "Uninstall even when other installs depend on it" },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: r, raw } = await s.api.request(
      UninstallResultSchema,
      "DELETE",
      apiPath`/v1/clusters/${cluster}/installs/${args.appId}`,
      { query: { force: args.force ? "true" : undefined } },
    );
    if (s.json) s.out.json(raw);
    else {
      s.out.line(
        `Uninstalled ${r.appId} (${r.package} ${r.version}) from cluster ${cluster} (desired revision ${r.desiredRevision}).`,
      );
      if (r.postUninstallNotes) s.out.line(r.postUninstallNotes);
    }
    return 0;
  },
});

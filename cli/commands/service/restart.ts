/** `flotilla service restart <id>`: replaces a service's tasks, rolling, with the same config. */
import { defineCommand } from "citty";
import { ServiceChangeSchema } from "../../../gateway/contract/operations.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs } from "../../args.js";
import { openSession } from "../../session.js";
import { canonical } from "./status.js";

export default defineCommand({
  meta: {
    name: "restart",
    description:
      "Restart a service: its tasks are replaced following its upgrade strategy.\n" +
      "The restart is a new revision of the install that runs it (see flotilla package history).\n\n" +
      "Examples:\n  flotilla service restart /hello-http\n  flotilla service restart /hello-http --cluster edge-1 --json",
  },
  args: {
    id: { type: "positional", description: "Service id", required: true },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: r, raw } = await s.api.request(
      ServiceChangeSchema,
      "POST",
      apiPath`/v1/clusters/${cluster}/services/restart`,
      { json: { appId: canonical(args.id) } },
    );
    if (s.json) s.out.json(raw);
    else {
      s.out.line(
        `Restarting ${r.appId} on ${cluster} (rolling): ${r.install.appId} revision ${r.install.revision} (desired revision ${r.desiredRevision}).`,
      );
      s.out.line(`Follow it with: flotilla service show ${r.appId} --cluster ${cluster}`);
    }
    return 0;
  },
});

/** `flotilla service scale <id> <instances>`: sets how many instances a service runs. */
import { defineCommand } from "citty";
import { MAX_INSTANCES, ServiceChangeSchema } from "../../../gateway/contract/operations.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs } from "../../args.js";
import { usageError } from "../../errors.js";
import { openSession } from "../../session.js";
import { canonical } from "./status.js";

export default defineCommand({
  meta: {
    name: "scale",
    description:
      "Scale a service to a number of instances (0 stops it but keeps the install).\n" +
      "The change is a new revision of the install that runs it (see flotilla package history).\n\n" +
      "Examples:\n  flotilla service scale /hello-http 3\n  flotilla service scale /hello-http 0 --cluster edge-1",
  },
  args: {
    id: { type: "positional", description: "Service id", required: true },
    instances: { type: "positional", description: "How many instances", required: true },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const instances = Number(args.instances);
    if (!Number.isInteger(instances) || instances < 0 || instances > MAX_INSTANCES) {
      throw usageError(`${args.instances}: give the number of instances, 0 to ${MAX_INSTANCES}`);
    }
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: r, raw } = await s.api.request(
      ServiceChangeSchema,
      "POST",
      apiPath`/v1/clusters/${cluster}/services/scale`,
      { json: { appId: canonical(args.id), instances } },
    );
    if (s.json) s.out.json(raw);
    else if (!r.changed)
      s.out.line(`${r.appId} already runs ${r.instances} instances on ${cluster}; nothing changed.`);
    else {
      s.out.line(
        `Scaling ${r.appId} on ${cluster} from ${r.previousInstances} to ${r.instances} instances: ${r.install.appId} revision ${r.install.revision} (desired revision ${r.desiredRevision}).`,
      );
      s.out.line(`Follow it with: flotilla service show ${r.appId} --cluster ${cluster}`);
    }
    return 0;
  },
});

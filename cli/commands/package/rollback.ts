/**
 * `flotilla package rollback <appId> [--revision N]`: restores an earlier revision's version
 * and options, as a new revision. Without --revision, the one before the current.
 */
import { defineCommand } from "citty";
import { HistorySchema, InstallChangeSchema } from "../../../gateway/contract/installs.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs, waitArgs } from "../../args.js";
import { CliError, usageError } from "../../errors.js";
import { openSession } from "../../session.js";
import { parseTimeout } from "../../wait/follow.js";
import { finishChange } from "./change.js";

export default defineCommand({
  meta: {
    name: "rollback",
    description:
      "Roll an install back to an earlier revision (default: the one before the current).\n" +
      "The rollback is itself a new revision; see flotilla package history.\n\n" +
      "Examples:\n  flotilla package rollback /hello-http --wait\n  flotilla package rollback /hello-http --revision 1",
  },
  args: {
    appId: { type: "positional", description: "The install's service id", required: true },
    revision: { type: "string", valueHint: "n", description: "The revision to restore" },
    ...waitArgs,
    ...clusterArgs,
  },
  async run({ args, data }) {
    const waitMs = args.wait ? parseTimeout(args.timeout) : undefined;
    let toRevision: number | undefined;
    if (args.revision !== undefined) {
      toRevision = Number(args.revision);
      if (!Number.isInteger(toRevision) || toRevision < 1)
        throw usageError(`--revision ${args.revision}: give a revision number from flotilla package history`);
    }
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const base = apiPath`/v1/clusters/${cluster}/installs/${args.appId}`;
    if (toRevision === undefined) {
      const { data: history } = await s.api.request(HistorySchema, "GET", `${base}/history`);
      const earlier = history.revisions.filter((r) => r.revision < history.currentRevision).at(-1);
      if (!earlier)
        throw new CliError(
          `${history.appId} has no revision before ${history.currentRevision} to roll back to`,
        );
      toRevision = earlier.revision;
    }
    const { data: change, raw } = await s.api.request(InstallChangeSchema, "POST", `${base}/rollback`, {
      json: { toRevision },
    });
    return finishChange(s, change, raw, { kind: "rollback", cluster, waitMs }, [
      `  restored revision ${toRevision}`,
    ]);
  },
});

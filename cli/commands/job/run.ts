/** `flotilla job run <id>`: asks the cluster to start a run of a job now; `--wait` follows it. */
import { defineCommand } from "citty";
import { RunRequestedSchema } from "../../../gateway/contract/operations.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs, waitArgs } from "../../args.js";
import { openSession } from "../../session.js";
import { parseTimeout } from "../../wait/follow.js";
import { followRun } from "../../wait/follow-run.js";

export default defineCommand({
  meta: {
    name: "run",
    description:
      "Start a run of a job now, besides its schedule.\n" +
      "The cluster's scheduling agent starts it on its next poll; in a pipeline, the steps that depend\n" +
      "on it run after it succeeds. --wait follows this run until it succeeds (exit 0) or fails (exit 1).\n\n" +
      "Examples:\n  flotilla job run etl.extract\n  flotilla job run etl.extract --wait --timeout 120\n  flotilla job run etl.extract --json",
  },
  args: {
    id: { type: "positional", description: "Job id", required: true },
    ...waitArgs,
    ...clusterArgs,
  },
  async run({ args, data }) {
    const waitMs = args.wait ? parseTimeout(args.timeout) : undefined;
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: run, raw } = await s.api.request(
      RunRequestedSchema,
      "POST",
      apiPath`/v1/clusters/${cluster}/jobs/${args.id}/runs`,
    );
    if (s.json) s.out.json(raw);
    else {
      s.out.line(
        `Requested run ${run.runId} of ${run.jobId} on ${cluster} (desired revision ${run.desiredRevision}).`,
      );
      if (waitMs === undefined)
        s.out.line(`Follow it with: flotilla job runs ${run.jobId} --cluster ${cluster}`);
    }
    if (waitMs !== undefined) {
      await followRun(s, { cluster, jobId: run.jobId, runId: run.runId, timeoutMs: waitMs });
    }
    return 0;
  },
});

/** `flotilla job runs <id>`: a job's runs, newest first, and requests not started yet. */
import { defineCommand } from "citty";
import { JobRunsSchema } from "../../../gateway/contract/operations.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs } from "../../args.js";
import { usageError } from "../../errors.js";
import { openSession } from "../../session.js";
import { printPending, printRuns } from "./runs-table.js";

export default defineCommand({
  meta: {
    name: "runs",
    description:
      "List a job's runs, newest first: state (INITIAL, STARTING, ACTIVE, SUCCESS, FAILED, NOT_RUN), what\n" +
      "started each, and why (a NOT_RUN pipeline step names the parent that failed).\n\n" +
      "Examples:\n  flotilla job runs etl.extract\n  flotilla job runs etl.load --limit 5 --json | jq -r '.runs[0].state'",
  },
  args: {
    id: { type: "positional", description: "Job id", required: true },
    limit: { type: "string", valueHint: "n", default: "20", description: "At most this many runs (1–500)" },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const limit = Number(args.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw usageError(`--limit ${args.limit}: give 1 to 500`);
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: list, raw } = await s.api.request(
      JobRunsSchema,
      "GET",
      apiPath`/v1/clusters/${cluster}/jobs/${args.id}/runs`,
      { query: { limit } },
    );
    if (s.json) s.out.json(raw);
    else {
      if (list.runs.length > 0) printRuns(s.out, list.runs);
      else if (list.pendingRequests.length === 0)
        s.out.line(`${args.id} has not run yet. Start it: flotilla job run ${args.id}`);
      printPending(s.out, list.pendingRequests);
    }
    return 0;
  },
});

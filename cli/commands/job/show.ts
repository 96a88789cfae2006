/** `flotilla job show <id>`: one job, its schedules, its place in a pipeline and its recent runs. */
import { defineCommand } from "citty";
import { JobDetailSchema } from "../../../gateway/contract/operations.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs } from "../../args.js";
import { renderFields, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";
import { nextRun, schedulesText } from "./list.js";
import { printPending, printRuns } from "./runs-table.js";

export default defineCommand({
  meta: {
    name: "show",
    description:
      "Show a job: the install that defines it, its schedules, the jobs it runs after and before, its recent runs.\n\n" +
      "Examples:\n  flotilla job show etl.load\n  flotilla job show etl.load --json | jq .definition",
  },
  args: {
    id: { type: "positional", description: "Job id", required: true },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: job, raw } = await s.api.request(
      JobDetailSchema,
      "GET",
      apiPath`/v1/clusters/${cluster}/jobs/${args.id}`,
    );
    if (s.json) {
      s.out.json(raw);
      return 0;
    }
    for (const line of renderFields([
      ["Job", job.id],
      ["Description", job.description ?? undefined],
      ["Install", `${job.install.appId} (${job.install.package} ${job.install.version})`],
      ["Schedule", schedulesText(job.schedules)],
      ["Next run", job.schedules.length ? shortTime(nextRun(job.schedules)) : undefined],
      ["Runs after", job.dependencies.length ? job.dependencies.join(", ") : undefined],
      ["Runs before", job.dependents.length ? job.dependents.join(", ") : undefined],
    ]))
      s.out.line(line);
    if (job.latestRuns.length > 0 || job.pendingRequests.length > 0) s.out.line("");
    if (job.latestRuns.length > 0) printRuns(s.out, job.latestRuns);
    printPending(s.out, job.pendingRequests);
    return 0;
  },
});

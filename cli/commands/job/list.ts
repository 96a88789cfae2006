/** `flotilla job list`: the jobs of a cluster with their schedules, pipeline parents and last run. */
import { defineCommand } from "citty";
import type { z } from "zod";
import { JobListSchema, type ScheduleViewSchema } from "../../../gateway/contract/operations.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs } from "../../args.js";
import { renderTable, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";

type Schedule = z.infer<typeof ScheduleViewSchema>;

export const schedulesText = (schedules: Schedule[]) =>
  schedules.length === 0
    ? "on demand"
    : schedules
        .map((x) => `${x.cron}${x.timezone !== "UTC" ? ` (${x.timezone})` : ""}${x.enabled ? "" : " (off)"}`)
        .join("; ");

/** The soonest next tick of any enabled schedule. */
export const nextRun = (schedules: Schedule[]) =>
  schedules
    .map((x) => x.nextRunAt)
    .filter((t): t is string => t !== null)
    .sort()[0] ?? null;

export default defineCommand({
  meta: {
    name: "list",
    description:
      "List the jobs of a cluster: the install that defines each, its schedules, what it runs after, its last run.\n\n" +
      "Examples:\n  flotilla job list\n  flotilla job list --cluster edge-1 --json",
  },
  args: { ...clusterArgs },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: list, raw } = await s.api.request(
      JobListSchema,
      "GET",
      apiPath`/v1/clusters/${cluster}/jobs`,
    );
    if (s.json) s.out.json(raw);
    else if (list.jobs.length === 0) s.out.line(`No jobs on ${cluster}.`);
    else
      for (const line of renderTable(
        list.jobs,
        [
          { header: "JOB", value: (j) => j.id },
          { header: "INSTALL", value: (j) => j.install.appId },
          { header: "SCHEDULE", value: (j) => schedulesText(j.schedules) },
          { header: "NEXT", value: (j) => shortTime(nextRun(j.schedules)) },
          { header: "AFTER", value: (j) => j.dependencies.join(",") },
          { header: "LAST RUN", value: (j) => j.latestRuns[0]?.state },
          {
            header: "AT",
            value: (j) => shortTime(j.latestRuns[0]?.startedAt ?? j.latestRuns[0]?.reportedAt),
          },
        ],
        s.out.color,
      ))
        s.out.line(line);
    return 0;
  },
});

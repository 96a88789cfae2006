/** `flotilla service show <id>`: one service, its deployment and its tasks. */
import { defineCommand } from "citty";
import { clusterArgs } from "../../args.js";
import { renderFields, shortTime } from "../../format/table.js";
import { openSession } from "../../session.js";
import { waitingReason } from "../../wait/progress.js";
import { clusterStatus, findService } from "./status.js";
import { printTasks } from "./tasks.js";

export default defineCommand({
  meta: {
    name: "show",
    description:
      "Show a service: its install, instances, deployment step, why it waits, and its tasks.\n\n" +
      "Examples:\n  flotilla service show /hello-http\n  flotilla service show hello-http --cluster edge-1 --json",
  },
  args: {
    id: { type: "positional", description: "Service id", required: true },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: status } = await clusterStatus(s, cluster);
    const { app, install } = findService(status, args.id, cluster);
    if (s.json) {
      s.out.json({ ...app, install });
      return 0;
    }
    const i = app.instances;
    for (const line of renderFields([
      ["Service", app.id],
      ["Install", `${install.appId} (${install.package} ${install.version}, revision ${install.revision})`],
      ["Instances", `${i.healthy}/${i.desired} healthy, ${i.running} running, ${i.staged} staging`],
      ["State", app.converged ? "converged" : "deploying"],
      ["Step", app.deployment?.step ?? undefined],
      ["Waiting", waitingReason(app, "no agent has reported on it yet") ?? undefined],
      ["Reported", app.deployment ? shortTime(app.deployment.reportedAt) : undefined],
    ]))
      s.out.line(line);
    if (app.tasks.length > 0) {
      s.out.line("");
      printTasks(
        s.out,
        app.tasks.map((t) => ({ ...t, app: app.id })),
      );
    }
    return 0;
  },
});

/** `flotilla service list`: every service on a cluster with its health. */
import { defineCommand } from "citty";
import { clusterArgs } from "../../args.js";
import { clip, renderTable } from "../../format/table.js";
import { openSession } from "../../session.js";
import { waitingReason } from "../../wait/progress.js";
import { clusterStatus, instancesText, servicesOf } from "./status.js";

export default defineCommand({
  meta: {
    name: "list",
    description:
      "List the services of a cluster: instances healthy of desired, running, and why a deployment waits.\n\n" +
      "Examples:\n  flotilla service list\n  flotilla service list --cluster edge-1 --json",
  },
  args: { ...clusterArgs },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: status, raw } = await clusterStatus(s, cluster);
    if (s.json) {
      s.out.json(raw);
      return 0;
    }
    const services = servicesOf(status);
    if (services.length === 0) {
      s.out.line(
        `No services on ${cluster}. Install one: flotilla package install <name> --cluster ${cluster}`,
      );
      return 0;
    }
    for (const line of renderTable(
      services,
      [
        { header: "SERVICE", value: (x) => x.app.id },
        { header: "INSTALL", value: (x) => x.install.appId },
        { header: "PACKAGE", value: (x) => `${x.install.package} ${x.install.version}` },
        { header: "HEALTHY", value: (x) => instancesText(x.app), align: "right" },
        { header: "RUNNING", value: (x) => x.app.instances.running, align: "right" },
        {
          header: "STATE",
          value: (x) => (x.app.converged ? "converged" : (x.app.deployment?.step ?? "deploying")),
        },
        {
          header: "WAITING",
          value: (x) => clip(waitingReason(x.app, "no agent has reported yet") ?? "", 60),
        },
      ],
      s.out.color,
    ))
      s.out.line(line);
    return 0;
  },
});

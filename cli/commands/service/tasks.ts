/** `flotilla service tasks [id]`: the tasks agents report, with their state, node and ports. */
import { defineCommand } from "citty";
import { clusterArgs } from "../../args.js";
import { clip, renderTable, shortTime } from "../../format/table.js";
import type { Output } from "../../output.js";
import { openSession } from "../../session.js";
import { type AppStatus, clusterStatus, findService, servicesOf } from "./status.js";

type Task = AppStatus["tasks"][number] & { app: string };

export function printTasks(out: Output, tasks: Task[]): void {
  for (const line of renderTable(
    tasks,
    [
      { header: "SERVICE", value: (t) => t.app },
      { header: "TASK", value: (t) => t.taskId },
      { header: "STATE", value: (t) => t.state },
      { header: "HEALTHY", value: (t) => (t.healthy === null ? "" : t.healthy ? "yes" : "no") },
      { header: "NODE", value: (t) => t.node ?? t.agentId },
      { header: "PORTS", value: (t) => t.ports.join(",") },
      { header: "UPDATED", value: (t) => shortTime(t.updatedAt) },
      { header: "MESSAGE", value: (t) => clip(t.message ?? "", 60) },
    ],
    out.color,
  ))
    out.line(line);
}

export default defineCommand({
  meta: {
    name: "tasks",
    description:
      "List the tasks of a service (or of every service): state, health, node and the ports it answers on.\n\n" +
      "Examples:\n  flotilla service tasks /hello-http\n  flotilla service tasks --json",
  },
  args: {
    id: { type: "positional", description: "Service id (default: every service)", required: false },
    ...clusterArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: status } = await clusterStatus(s, cluster);
    const services = args.id ? [findService(status, args.id, cluster)] : servicesOf(status);
    const tasks = services.flatMap((x) => x.app.tasks.map((t) => ({ ...t, app: x.app.id })));
    if (s.json) s.out.json({ tasks });
    else if (tasks.length === 0)
      s.out.line(args.id ? `No tasks of ${args.id} reported yet.` : `No tasks on ${cluster} reported yet.`);
    else printTasks(s.out, tasks);
    return 0;
  },
});

/** The table of a job's runs and its pending requests, shared by `job runs` and `job show`. */
import type { z } from "zod";
import type { PendingRequestSchema, RunView } from "../../../gateway/contract/operations.js";
import { clip, renderTable, shortTime } from "../../format/table.js";
import type { Output } from "../../output.js";

export function printRuns(out: Output, runs: RunView[]): void {
  for (const line of renderTable(
    runs,
    [
      { header: "RUN", value: (r) => r.runId },
      { header: "STATE", value: (r) => r.state },
      { header: "TRIGGER", value: (r) => (r.requestedBy ? `${r.trigger} by ${r.requestedBy}` : r.trigger) },
      { header: "STARTED", value: (r) => shortTime(r.startedAt) },
      { header: "FINISHED", value: (r) => shortTime(r.finishedAt) },
      { header: "MESSAGE", value: (r) => clip(r.message ?? "", 70) },
    ],
    out.color,
  ))
    out.line(line);
}

export function printPending(out: Output, pending: z.infer<typeof PendingRequestSchema>[]): void {
  for (const p of pending) {
    out.line(
      `pending: ${p.runId}, requested ${shortTime(p.requestedAt)} by ${p.requestedBy}; no agent has started it yet`,
    );
  }
}

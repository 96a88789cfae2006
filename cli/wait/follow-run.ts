/**
 * `job run --wait`: polls the job's runs until the requested run succeeds (exit 0), fails or is
 * skipped because a pipeline parent failed (exit 1), or the timeout passes (exit 1, saying what
 * it was waiting for). Only this run is followed, not the pipeline steps after it.
 */
import { JobRunsSchema } from "../../gateway/contract/operations.js";
import { apiPath } from "../api/client.js";
import { CliError } from "../errors.js";
import type { Session } from "../session.js";
import { agentlessReason, seconds } from "./follow.js";

const POLL_MS = 1_000;
const FAILED = new Set(["FAILED", "NOT_RUN"]);

export interface FollowRunOptions {
  cluster: string;
  jobId: string;
  runId: string;
  timeoutMs: number;
}

export async function followRun(session: Session, options: FollowRunOptions): Promise<void> {
  const { out } = session;
  const { cluster, jobId, runId, timeoutMs } = options;
  const live = out.tty === true && out.update !== undefined && !session.json;
  const log = (line: string) => (session.json ? out.error(line) : out.line(line));
  const deadline = out.host.now() + timeoutMs;
  let shown = "";

  log(`Waiting for run ${runId} of ${jobId} on cluster ${cluster} (timeout ${seconds(timeoutMs)})…`);
  for (;;) {
    const { data } = await session.api.request(
      JobRunsSchema,
      "GET",
      apiPath`/v1/clusters/${cluster}/jobs/${jobId}/runs`,
      { query: { limit: 100 } },
    );
    const run = data.runs.find((r) => r.runId === runId);
    let line: string;
    if (run) line = `${runId}: ${run.state}${run.message ? ` · ${run.message}` : ""}`;
    else {
      const why = (await agentlessReason(session, cluster)) ?? "waiting for the cluster's agent to start it";
      line = `${runId}: requested · waiting: ${why}`;
    }
    if (live) out.update?.(line);
    else if (line !== shown) log(line);
    shown = line;

    const state = run?.state.toUpperCase();
    if (state === "SUCCESS" || (state && FAILED.has(state))) {
      if (live) out.update?.("");
      if (state === "SUCCESS") {
        log(`${runId} succeeded.`);
        return;
      }
      throw new CliError(
        `run ${runId} of ${jobId} ended ${state}${run?.message ? `: ${run.message}` : ""}. See flotilla job runs ${jobId} --cluster ${cluster}`,
      );
    }
    const left = deadline - out.host.now();
    if (left <= 0) {
      if (live) out.update?.("");
      throw new CliError(`timed out after ${seconds(timeoutMs)} waiting for run ${runId}: ${line}`);
    }
    await out.host.sleep(Math.min(POLL_MS, left));
  }
}

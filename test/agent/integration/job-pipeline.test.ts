/**
 * A three-step job pipeline (extract → transform → load) run by one agent daemon with the
 * process runtime against the real gateway: a run request for the first step starts it; each
 * step starts only after its parent succeeded; transform exits 1, so it FAILS and load is
 * marked NOT_RUN with the reason — and never launched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { InstallStatus } from "../../../gateway/contract/installs.js";
import {
  cleanUpAgents,
  installStatus,
  newTestCluster,
  publishBundle,
  startTestAgent,
  startTestGateway,
  type TestAgent,
  type TestGateway,
  waitFor,
} from "../../helpers/agent.js";
import { pipelinePackage } from "./fixtures.js";

let gw: TestGateway;
let cluster: { id: string; name: string; joinToken: string };
let agent: TestAgent;

beforeAll(async () => {
  gw = await startTestGateway();
  cluster = await newTestCluster(gw);
  await publishBundle(gw, pipelinePackage("etl-pipeline", "etl"));
  agent = await startTestAgent(gw, { joinToken: cluster.joinToken });
});

afterAll(async () => {
  await cleanUpAgents();
  await gw?.close();
});

type Job = InstallStatus["jobs"][number];

describe("agent daemon with the process runtime: a job pipeline", () => {
  it("runs extract, fails transform, and marks load not run without launching it", async () => {
    await gw.api(`/v1/clusters/${cluster.id}/installs`, { body: { package: "etl-pipeline" } }, 201);
    const requested = await gw.api<{ runId: string }>(
      `/v1/clusters/${cluster.id}/jobs/etl.extract/runs`,
      {
        method: "POST",
      },
      201,
    );

    const jobs = await waitFor(
      "the pipeline to settle",
      async () => {
        const status = await installStatus(gw, cluster.id, "/etl-pipeline");
        const latest = (id: string) => status.jobs.find((j: Job) => j.id === id)?.runs[0];
        const load = latest("etl.load");
        return load && load.state !== "INITIAL" && status.jobs;
      },
      { timeout: 60_000, interval: 200 },
    );
    const runs = Object.fromEntries(jobs.map((j) => [j.id, j.runs]));
    expect(runs["etl.extract"]).toEqual([
      expect.objectContaining({ runId: requested.runId, state: "SUCCESS" }),
    ]);
    expect(runs["etl.transform"]).toEqual([expect.objectContaining({ state: "FAILED" })]);
    expect(runs["etl.transform"]![0]!.runId).toContain(requested.runId); // started by its parent's success
    expect(runs["etl.load"]).toEqual([expect.objectContaining({ state: "NOT_RUN" })]);
    expect(runs["etl.load"]![0]!.message).toMatch(/etl\.transform/);

    // Each step starts after its parent ended.
    const time = (id: string, which: "startedAt" | "finishedAt") => Date.parse(runs[id]![0]![which]!);
    expect(time("etl.transform", "startedAt")).toBeGreaterThanOrEqual(time("etl.extract", "finishedAt"));

    const { tasks } = await gw.api<{
      tasks: { taskId: string; appId: string; state: string; message: string | null }[];
    }>(`/v1/clusters/${cluster.id}/agents/${agent.daemon.identity!.agentId}/tasks`);
    expect(tasks.map((t) => [t.appId, t.state])).toEqual([
      ["etl.extract", "FINISHED"],
      ["etl.transform", "FAILED"],
    ]);
    expect(tasks.find((t) => t.appId === "etl.transform")?.message).toBe("exited with code 1");
    expect(tasks.some((t) => t.appId === "etl.load")).toBe(false); // never launched
  }, 90_000);
});

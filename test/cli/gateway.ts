/**
 * Test seams for the CLI suites: a real gateway on 127.0.0.1 with a temporary libSQL file,
 * and a `flotilla` runner that runs the CLI in-process (as test/helpers/cli.ts does) with its
 * own environment — so no test reads or writes the real user's config.
 */
import { createServer } from "node:net";
import { type CliRun, runCaptured } from "../helpers/cli.js";

// The same real gateway as the agent tests (127.0.0.1, a temporary file database and folder).
export { ADMIN_TOKEN, startTestGateway, type TestGateway } from "../helpers/agent.js";

/** Runs `flotilla …` in-process with `env` as its whole environment. */
export const flotilla = (env: Record<string, string | undefined>, ...args: string[]): Promise<CliRun> =>
  runCaptured(args, { env });

/** A runner bound to an environment: `const run = cliIn({...}); await run("cluster", "list")`. */
export const cliIn =
  (env: Record<string, string | undefined>) =>
  (...args: string[]) =>
    flotilla(env, ...args);

/** A unique name for what a test creates, so tests never share fixed ids. */
export const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 8)}`;

/** A URL on 127.0.0.1 where nothing listens (a port that was just free). */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** The JSON a `--json` run printed; fails with its stderr when it did not succeed. */
export function jsonOf<T = Record<string, unknown>>(run: CliRun): T {
  if (run.code !== 0) throw new Error(`exit ${run.code}: ${run.stderr}${run.stdout}`);
  return JSON.parse(run.stdout) as T;
}

/**
 * Stands in for an agent of a cluster: joins with a join token and reports task states, so
 * tests can watch `--wait` converge or fail without running workloads.
 */
export async function fakeAgent(url: string, joinToken: string) {
  const res = await fetch(`${url}/v1/agent/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ joinToken, hostname: unique("node") }),
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${await res.text()}`);
  const { clusterId, credential } = (await res.json()) as { clusterId: string; credential: string };
  let n = 0;
  const report = async (updates: Record<string, unknown>[]) => {
    const sent = await fetch(`${url}/v1/agent/clusters/${clusterId}/status`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${credential}` },
      body: JSON.stringify({
        updates: updates.map((u) => ({ id: `u${++n}-${unique("t")}`, at: Date.now(), ...u })),
      }),
    });
    if (!sent.ok) throw new Error(`status: ${sent.status} ${await sent.text()}`);
  };
  return {
    /** Reports the state of a job's run, as the agent's jobs engine would. */
    jobRun: (jobId: string, runId: string, state: string, message?: string) =>
      report([{ kind: "job-run", jobId, runId, state, startedAt: Date.now(), ...(message && { message }) }]),
    /** Reports task states of an app, as the agent does after launching or checking them. */
    tasks: (appId: string, tasks: { taskId: string; state: string; healthy?: boolean; message?: string }[]) =>
      report(tasks.map((t) => ({ kind: "task", appId, ports: [], ...t }))),
  };
}

/** Resolves once `check` returns true (checked every 20 ms), failing after `ms`. */
export async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * The acceptance test of the local system (issue 6): the start command as a user runs it — the
 * built `node dist/cli/local/main.js` that `npm start` runs — as a child process with a temp data
 * dir, a free port and a temp CLI config; then the built `flotilla` bin, as child processes that
 * only know the config the start command logged them in with, drives it: search, install with 2
 * instances, rolling update and rollback, the ETL pipeline and its failing variant, uninstall;
 * then Ctrl-C (SIGINT) must stop it cleanly, and a second start on the same data reuses it. A
 * launcher told to use Docker with no daemon must say so and exit 1. Another launcher with the
 * Docker runtime installs the busybox image package; without a Docker daemon (DOCKER_HOST) that
 * test FAILS, saying how to start one — it is never skipped.
 *
 * Needs `npm run build` first (npm test does it). FLOTILLA_TEST_LOGS=1 echoes the launcher.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DockerClient } from "../../agent/runtime/docker-client.js";
import { BUSYBOX_IMAGE, ensureBusyboxImage, requireDocker } from "../helpers/docker.js";
import {
  httpText,
  killProcessesUnder,
  type Launcher,
  launcherFailure,
  processesUnder,
  requireBuild,
  show,
  startLauncher,
  stopLauncher,
  taskRecords,
  waitFor,
} from "./launcher.js";

interface Task {
  app: string;
  taskId: string;
  state: string;
  healthy: boolean | null;
  ports: number[];
}
interface Run {
  runId: string;
  state: string;
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}
interface Runs {
  jobId: string;
  runs: Run[];
}

const DEFAULT_MESSAGE = "Hello from Flotilla";
const NEW_MESSAGE = "Updated by the e2e test";

/** The tasks of `app` that run and pass their health checks, from `flotilla service tasks --json`. */
async function healthyTasks(l: Launcher, app: string): Promise<Task[]> {
  const { tasks } = await l.json<{ tasks: Task[] }>("service", "tasks", app, "--json");
  return tasks.filter((t) => t.state === "RUNNING" && t.healthy === true);
}

/** The first run of `job` that finished at or after `since` (a run requested then, or its pipeline). */
async function runSince(l: Launcher, job: string, since: number): Promise<Run | undefined> {
  const { runs } = await l.json<Runs>("job", "runs", job, "--json");
  return runs.find((r) => r.finishedAt !== null && Date.parse(r.finishedAt) >= since);
}

/**
 * Samples, every ~100 ms, what the live instances of hello-http answer — found by the task
 * records the process runtime writes at spawn (their PORT0), so a new instance is probed from
 * its first moment — to tell a rolling replacement (never silent, old and new side by side)
 * from a stop-then-start one.
 */
function watchAnswers(dataDir: string, appId: string) {
  const samples: { at: number; answers: string[] }[] = [];
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const live = taskRecords(dataDir).filter((r) => r.appId === appId && !r.exit && r.env.PORT0);
      const ports = [...new Set(live.map((r) => Number(r.env.PORT0)))];
      const answers = (await Promise.all(ports.map((p) => httpText(p, 1_500)))).filter(
        (a): a is string => a !== undefined,
      );
      samples.push({ at: Date.now(), answers });
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    samples,
    async stop() {
      watching = false;
      await loop;
      return samples;
    },
  };
}

/** Replaces hello-http's instances with `change` (update or rollback) and checks it was rolling. */
async function rollingChange(l: Launcher, args: string[], from: string, to: string) {
  const before = await healthyTasks(l, "/hello-http");
  const watch = watchAnswers(l.dataDir, "/hello-http");
  await waitFor("the watcher to see both instances answer", () =>
    watch.samples.some((s) => s.answers.filter((a) => a === from).length === 2),
  );
  const r = await l.cli(...args);
  // Let the watcher see the state --wait reported, then stop it.
  await new Promise((res) => setTimeout(res, 300));
  const samples = await watch.stop();
  expect(r.code, show(args, r)).toBe(0);
  expect(r.stderr, "the --wait progress goes to stderr with --json").toMatch(
    /converged: \/hello-http 2\/2 healthy/,
  );

  const after = await healthyTasks(l, "/hello-http");
  expect(after, JSON.stringify(after)).toHaveLength(2);
  expect(after.filter((t) => before.some((b) => b.taskId === t.taskId))).toEqual([]);
  for (const t of after) expect(await httpText(t.ports[0] as number), `port ${t.ports[0]}`).toBe(to);

  const silent = samples.filter((s) => s.answers.length === 0);
  expect(silent, "a rolling change never leaves the service without an answering instance").toEqual([]);
  // Old answers first, new ones last, and never silence in between: that is a rolling change.
  // (Whether a sample catches old and new answering at the same instant depends on timing, so
  // it is not asserted; the integration and fault tests check minHealthy/maxCapacity exactly.)
  expect(samples[0]?.answers, "the old message answered before the change").toContain(from);
  expect(samples.at(-1)?.answers, "the new message answers after the change").toContain(to);
  return JSON.parse(r.stdout) as {
    revision: number;
    options: { resolved: { service: { message: string } } };
  };
}

describe("npm start (process runtime), driven with the flotilla CLI", () => {
  let dir: string;
  let l: Launcher;
  let helloPorts: number[] = [];

  beforeAll(async () => {
    requireBuild();
    dir = await mkdtemp(join(tmpdir(), "flotilla-e2e-"));
  });

  afterAll(async () => {
    if (l) await stopLauncher(l, "SIGKILL", 5_000);
    // Task processes outlive the launcher by design: kill whatever still runs in a sandbox here.
    if (dir) {
      const left = killProcessesUnder(dir);
      if (left > 0) console.warn(`killed ${left} task process(es) left running under ${dir}`);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("starts: prints the gateway URL and the Try: block, and logs the CLI in", async () => {
    l = await startLauncher(dir, { FLOTILLA_AGENT_RUNTIME: "process" });
    expect(l.stdout()).toContain("Flotilla is running.");
    expect(l.stdout()).toContain(`API docs   ${l.url}/docs`);
    expect(l.stdout()).toMatch(/admin token flt_\S+/);
    expect(l.stdout()).toContain(`the flotilla CLI is logged in to this gateway (${l.config})`);
    expect(JSON.parse(await readFile(l.config, "utf8"))).toMatchObject({ gateway: l.url, cluster: "local" });
    const context = await l.json<{ gateway: { value: string }; cluster: { value: string } }>(
      "context",
      "--json",
    );
    expect(context.gateway.value).toBe(l.url);
    expect(context.cluster.value).toBe("local");
  }, 90_000);

  it("searches the catalog", async () => {
    const found = await l.json<{ results: { name: string; currentVersion: string }[] }>(
      "package",
      "search",
      "hello",
      "--json",
    );
    expect(found.results.map((p) => p.name)).toContain("hello-http");
    const all = await l.json<{ results: { name: string }[] }>("package", "search", "--json");
    expect(all.results.map((p) => p.name)).toEqual(
      expect.arrayContaining(["hello-http", "etl-pipeline", "busybox-web"]),
    );
  });

  it("installs hello-http with 2 instances: both healthy and answering on their ports", async () => {
    const args = ["package", "install", "hello-http", "--set", "service.instances=2"];
    const r = await l.cli(...args, "--wait", "--timeout", "90", "--json");
    expect(r.code, show(args, r)).toBe(0);
    const install = JSON.parse(r.stdout) as { appId: string; revision: number };
    expect(install).toMatchObject({ appId: "/hello-http", revision: 1 });
    expect(r.stderr).toMatch(/converged: \/hello-http 2\/2 healthy/);

    const tasks = await healthyTasks(l, "/hello-http");
    expect(tasks, JSON.stringify(tasks)).toHaveLength(2);
    helloPorts = tasks.map((t) => t.ports[0] as number);
    expect(new Set(helloPorts).size).toBe(2);
    for (const port of helloPorts) expect(await httpText(port), `port ${port}`).toBe(DEFAULT_MESSAGE);
    // Plain processes, each in its sandbox under the data dir (what the uninstall check relies on).
    const live = taskRecords(l.dataDir).filter((r) => r.appId === "/hello-http" && !r.exit);
    expect(live.map((r) => Number(r.env.PORT0)).sort()).toEqual([...helloPorts].sort());
    expect(processesUnder(join(l.dataDir, "agent", "tasks"))).toEqual(
      expect.arrayContaining(live.map((r) => r.pid)),
    );

    // The human table says the same.
    const table = await l.cli("service", "tasks", "/hello-http");
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/SERVICE\s+TASK\s+STATE\s+HEALTHY/);
    for (const port of helloPorts) expect(table.stdout).toContain(String(port));
  }, 120_000);

  it("updates the message (rolling) and rolls it back (rolling)", async () => {
    const updated = await rollingChange(
      l,
      [
        "package",
        "update",
        "/hello-http",
        "--set",
        `service.message=${NEW_MESSAGE}`,
        "--wait",
        "--timeout",
        "90",
        "--json",
      ],
      DEFAULT_MESSAGE,
      NEW_MESSAGE,
    );
    expect(updated.revision).toBe(2);
    expect(updated.options.resolved.service.message).toBe(NEW_MESSAGE);

    const rolledBack = await rollingChange(
      l,
      ["package", "rollback", "/hello-http", "--wait", "--timeout", "90", "--json"],
      NEW_MESSAGE,
      DEFAULT_MESSAGE,
    );
    expect(rolledBack.revision).toBe(3);
    expect(rolledBack.options.resolved.service.message).toBe(DEFAULT_MESSAGE);
    helloPorts = [...helloPorts, ...(await healthyTasks(l, "/hello-http")).map((t) => t.ports[0] as number)];
  }, 150_000);

  it("runs the pipeline: extract → transform → load writes total.txt = 385", async () => {
    const workDir = join(dir, "etl-ok");
    const args = [
      "package",
      "install",
      "etl-pipeline",
      "--set",
      `etl.workDir=${workDir}`,
      "--wait",
      "--json",
    ];
    const r = await l.cli(...args);
    expect(r.code, show(args, r)).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ appId: "/etl-pipeline" });
    const jobs = await l.json<{ jobs: { id: string }[] }>("job", "list", "--json");
    expect(jobs.jobs.map((j) => j.id).sort()).toEqual(["etl.extract", "etl.load", "etl.transform"]);

    const run = await l.cli("job", "run", "etl.extract", "--wait", "--timeout", "60", "--json");
    expect(run.code, show(["job", "run", "etl.extract", "--wait"], run)).toBe(0);
    const requested = JSON.parse(run.stdout) as { jobId: string; runId: string; requestedAt: string };
    expect(requested.jobId).toBe("etl.extract");
    expect(run.stderr).toMatch(/succeeded\./);
    // The steps after it finish after it was requested (gateway and agent share this clock).
    const since = Date.parse(requested.requestedAt);

    const load = await waitFor("etl.load to finish", () => runSince(l, "etl.load", since), {
      timeout: 60_000,
    });
    const transform = await runSince(l, "etl.transform", since);
    expect(transform?.state, JSON.stringify(transform)).toBe("SUCCESS");
    expect(load.state, JSON.stringify(load)).toBe("SUCCESS");
    expect((await readFile(join(workDir, "total.txt"), "utf8")).trim()).toBe("385");
  }, 120_000);

  it("runs the failing variant: transform FAILED, load NOT_RUN with the reason, no total.txt", async () => {
    const workDir = join(dir, "etl-failing");
    const install = [
      "package",
      "install",
      "etl-pipeline",
      "--app-id",
      "/etl-failing",
      "--set",
      "etl.failTransform=true",
      "--set",
      `etl.workDir=${workDir}`,
      "--json",
    ];
    // Job ids come from the package, not the app id: a second install on the same cluster clashes.
    const clash = await l.cli(...install);
    expect(clash.code, show(install, clash)).toBe(1);
    expect(clash.stderr).toMatch(/etl\.extract/);

    const un = await l.cli("package", "uninstall", "/etl-pipeline", "--json");
    expect(un.code, show(["package", "uninstall", "/etl-pipeline"], un)).toBe(0);
    const r = await l.cli(...install);
    expect(r.code, show(install, r)).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ appId: "/etl-failing" });

    const run = await l.cli("job", "run", "etl.extract", "--wait", "--timeout", "60", "--json");
    expect(run.code, show(["job", "run", "etl.extract", "--wait"], run)).toBe(0);
    const since = Date.parse((JSON.parse(run.stdout) as { requestedAt: string }).requestedAt);

    const load = await waitFor("etl.load to be settled", () => runSince(l, "etl.load", since), {
      timeout: 60_000,
    });
    const transform = await runSince(l, "etl.transform", since);
    expect(transform?.state, JSON.stringify(transform)).toBe("FAILED");
    expect(load.state, JSON.stringify(load)).toBe("NOT_RUN");
    expect(load.startedAt).toBeNull();
    expect(load.message).toMatch(/etl\.transform/);
    expect(load.message).toMatch(/fail/i);
    expect(existsSync(join(workDir, "raw.txt")), "extract ran in the failing install's workDir").toBe(true);
    expect(existsSync(join(workDir, "total.txt"))).toBe(false);

    // The human table shows the reason too.
    const table = await l.cli("job", "runs", "etl.load");
    expect(table.stdout).toMatch(/NOT_RUN/);
  }, 120_000);

  it("uninstalls everything: the hello-http processes are gone and their ports stop answering", async () => {
    for (const appId of ["/hello-http", "/etl-failing"]) {
      const r = await l.cli("package", "uninstall", appId, "--json");
      expect(r.code, show(["package", "uninstall", appId], r)).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ appId });
    }
    const list = await l.json<{ installs: unknown[] }>("package", "list", "--json");
    expect(list.installs).toEqual([]);

    const sandboxes = join(l.dataDir, "agent", "tasks");
    await waitFor(
      "every hello-http port to stop answering and every task process to end",
      async () => {
        const answering = (await Promise.all(helloPorts.map((p) => httpText(p, 1_000)))).some(
          (a) => a !== undefined,
        );
        return !answering && processesUnder(sandboxes).length === 0;
      },
      { timeout: 45_000, interval: 500 },
    );
    await waitFor(
      "service tasks to show nothing running",
      async () => {
        const { tasks } = await l.json<{ tasks: Task[] }>("service", "tasks", "--json");
        return tasks.every((t) => t.state !== "RUNNING");
      },
      { timeout: 30_000, interval: 1_000 },
    );
  }, 90_000);

  it("stops on SIGINT: exit code 0 and 'stopped.' within a few seconds", async () => {
    const exit = await stopLauncher(l, "SIGINT", 15_000);
    expect(exit, `no exit 15 s after SIGINT:\n${l.stdout()}\n${l.stderr()}`).toBeDefined();
    expect(exit, l.stderr()).toMatchObject({ code: 0, signal: null });
    expect(exit?.ms).toBeLessThan(10_000);
    expect(l.stdout()).toMatch(/SIGINT: stopping the agent and the gateway/);
    expect(l.stdout().trimEnd().endsWith("stopped.")).toBe(true);
    await expect(fetch(`${l.url}/v1/health`).then((r) => r.status)).rejects.toThrow();
  }, 30_000);

  it("starts a second time on the same data: same agent, no new admin token, the CLI still works", async () => {
    const first = l;
    l = await startLauncher(dir, { FLOTILLA_AGENT_RUNTIME: "process" });
    const out = l.stdout();
    expect(l.agentId, "the agent keeps its credential").toBe(first.agentId);
    expect(out).not.toMatch(/admin token flt_/);
    expect(out, "the samples are published once").not.toMatch(/published /);
    // With FLOTILLA_PORT=0 the gateway has a new URL; the config the launcher wrote last time
    // names the old one. The user must not have to log in again by hand.
    const context = await l.cli("context", "--json");
    const exit = await stopLauncher(l, "SIGINT", 15_000);
    expect(exit, l.stderr()).toMatchObject({ code: 0, signal: null });
    expect(
      JSON.parse(context.stdout).gateway?.value,
      `the second start did not log the CLI in to its new URL; it printed:\n${out}`,
    ).toBe(l.url);
  }, 60_000);
});

describe("the start command's errors", () => {
  let dir: string;
  beforeAll(async () => {
    requireBuild();
    dir = await mkdtemp(join(tmpdir(), "flotilla-e2e-errors-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("FLOTILLA_AGENT_RUNTIME=docker with no daemon: exit 1 saying how to start one, no stack trace", async () => {
    const r = await launcherFailure(dir, {
      FLOTILLA_AGENT_RUNTIME: "docker",
      DOCKER_HOST: `unix://${join(dir, "no-docker.sock")}`,
    });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/no Docker daemon answers/);
    expect(r.stderr).toMatch(/bash scripts\/docker-up\.sh/);
    expect(r.stderr, "a message for the user, not a crash").not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  }, 60_000);
});

describe("npm start with Docker, driven with the flotilla CLI", () => {
  let dir: string | undefined;
  let l: Launcher | undefined;
  let client: DockerClient | undefined;

  afterAll(async () => {
    if (l) await stopLauncher(l, "SIGKILL", 5_000);
    if (client && l) {
      // Containers outlive the launcher like processes do: remove the ones its agent started.
      const res = await client.call("/containers/json", {
        query: { all: true, filters: JSON.stringify({ label: [`io.flotilla.agent-id=${l.agentId}`] }) },
      });
      for (const c of res.status === 200 ? res.json<{ Id: string }[]>() : []) {
        await client.call(`/containers/${c.Id}`, { method: "DELETE", query: { force: true } });
      }
    }
    await client?.close();
    if (dir) {
      killProcessesUnder(dir);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("installs busybox-web in a container from busybox:local; it answers; uninstall; SIGINT", async () => {
    requireBuild();
    // No daemon is a failure, not a skip: this throws saying how to start one (scripts/docker-up.sh).
    const docker = await requireDocker();
    client = docker.client;
    await ensureBusyboxImage(client);
    dir = await mkdtemp(join(tmpdir(), "flotilla-e2e-docker-"));
    await mkdir(dir, { recursive: true });
    // docker, not auto: a daemon that answers late must fail here, not fall back to processes.
    l = await startLauncher(dir, { FLOTILLA_AGENT_RUNTIME: "docker", DOCKER_HOST: docker.dockerHost });

    const message = "Hello from the e2e container";
    const args = ["package", "install", "busybox-web", "--set", `service.message=${message}`];
    const r = await l.cli(...args, "--wait", "--timeout", "90", "--json");
    expect(r.code, show(args, r)).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ appId: "/busybox-web" });

    const tasks = await healthyTasks(l, "/busybox-web");
    expect(tasks, JSON.stringify(tasks)).toHaveLength(1);
    const port = tasks[0]?.ports[0] as number;
    expect((await httpText(port))?.trim(), `port ${port}`).toBe(message);

    // It really is a container of that image, started by this launcher's agent.
    const listed = await client.call("/containers/json", {
      query: {
        filters: JSON.stringify({
          label: [`io.flotilla.agent-id=${l.agentId}`, "io.flotilla.app-id=/busybox-web"],
        }),
      },
    });
    const containers = listed.json<{ Image: string; State: string }[]>();
    expect(containers.map((c) => [c.Image, c.State])).toEqual([[BUSYBOX_IMAGE, "running"]]);

    const un = await l.cli("package", "uninstall", "/busybox-web", "--json");
    expect(un.code, show(["package", "uninstall", "/busybox-web"], un)).toBe(0);
    await waitFor(
      "busybox-web to stop answering and its container to stop",
      async () => {
        if ((await httpText(port, 1_000)) !== undefined) return false;
        const res = await docker.client.call("/containers/json", {
          query: { filters: JSON.stringify({ label: [`io.flotilla.agent-id=${l?.agentId}`] }) },
        });
        return res.json<unknown[]>().length === 0;
      },
      { timeout: 45_000, interval: 500 },
    );

    const exit = await stopLauncher(l, "SIGINT", 15_000);
    expect(exit, `no exit 15 s after SIGINT:\n${l.stdout()}\n${l.stderr()}`).toBeDefined();
    expect(exit, l.stderr()).toMatchObject({ code: 0, signal: null });
    expect(l.stdout().trimEnd().endsWith("stopped.")).toBe(true);
  }, 150_000);
});

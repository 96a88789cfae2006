/**
 * Clusters and installs from the command line, against a real gateway: a cluster with no agent
 * (nothing converges, so --wait times out with its reason), and one with a stand-in agent that
 * reports tasks (so --wait sees a deployment converge, or fail).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Output } from "../../cli/output.js";
import { runCli } from "../../cli/run.js";
import {
  ADMIN_TOKEN,
  cliIn,
  fakeAgent,
  jsonOf,
  startTestGateway,
  type TestGateway,
  unique,
  until,
} from "./gateway.js";

let gw: TestGateway;
let run: ReturnType<typeof cliIn>;
beforeAll(async () => {
  gw = await startTestGateway();
  run = cliIn({ FLOTILLA_GATEWAY: gw.url, FLOTILLA_TOKEN: ADMIN_TOKEN });
});
afterAll(async () => {
  await gw?.close();
});

/** Publishes a one-app Flotilla package `name` at `version` (any version may upgrade to it). */
async function publish(name: string, version: string): Promise<void> {
  const dir = join(gw.dir, unique(name));
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({
      packagingVersion: "flotilla/1",
      name,
      version,
      maintainer: "cli@example.test",
      description: "installed by the CLI tests",
      upgradesFrom: ["*"],
      downgradesTo: ["*"],
      postInstallNotes: `${name} is starting`,
    }),
  );
  await writeFile(
    join(dir, "config.json"),
    JSON.stringify({
      type: "object",
      properties: {
        service: {
          type: "object",
          properties: {
            instances: { type: "integer", default: 1, minimum: 0 },
            message: { type: "string", default: "hello" },
          },
        },
      },
    }),
  );
  await writeFile(
    join(dir, "marathon.json.mustache"),
    `{"id": "/${name}", "cmd": "echo {{service.message}}; sleep 3600", "instances": {{service.instances}}, "cpus": 0.1, "mem": 32}`,
  );
  const published = await run("package", "publish", dir);
  if (published.code !== 0) throw new Error(published.stderr);
}

async function newCluster(): Promise<string> {
  const name = unique("c");
  const created = await run("cluster", "create", name, "--label", "site=test", "--json");
  return jsonOf<{ name: string }>(created).name;
}

/** A new cluster with a stand-in agent, and a package named after `prefix` published at 1.0.0. */
async function withStandInAgent(prefix: string) {
  const cluster = await newCluster();
  const name = unique(prefix);
  await publish(name, "1.0.0");
  const join = jsonOf<{ token: string }>(await run("cluster", "token", cluster, "--json"));
  return { cluster, name, agent: await fakeAgent(gw.url, join.token) };
}

interface Install {
  appId: string;
  version: string;
  revision: number;
  options: { user: Record<string, unknown> };
}

describe("flotilla cluster", () => {
  it("creates, lists, shows and deletes clusters, and makes, lists and revokes join tokens", async () => {
    const name = await newCluster();
    const list = await run("cluster", "list");
    expect(list.stdout.split("\n")[0]).toMatch(
      /^CURRENT\s+NAME\s+ID\s+AGENTS\s+REVISION\s+LABELS\s+CREATED$/,
    );
    expect(list.stdout).toMatch(new RegExp(`${name}\\s+cl_\\S+\\s+0/0\\s+\\d+\\s+site=test`));
    expect((await run("cluster", "show", name)).stdout).toMatch(/^Agents: +0 healthy, 0 stale, 0 lost$/m);

    const token = await run("cluster", "token", name, "--ttl", "600", "--max-uses", "2");
    expect(token.code).toBe(0);
    expect(token.stdout).toMatch(/2 uses\. It is shown only now:\n {2}fltj_[A-Za-z0-9]+\n/);
    const tokens = jsonOf<{ joinTokens: { id: string; maxUses: number; revoked: boolean }[] }>(
      await run("cluster", "token", name, "--list", "--json"),
    );
    expect(tokens.joinTokens).toEqual([expect.objectContaining({ maxUses: 2, revoked: false })]);
    const id = tokens.joinTokens[0]?.id as string;
    expect((await run("cluster", "token", name, "--revoke", id)).code).toBe(0);
    expect((await run("cluster", "token", name, "--list")).stdout).toMatch(
      new RegExp(`${id}\\s+0/2\\s+\\S+ \\S+\\s+yes`),
    );

    expect((await run("cluster", "agents", name)).stdout).toMatch(/No agents in .* yet/);

    const refused = await run("cluster", "delete", name);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--yes/);
    expect((await run("cluster", "delete", name, "--yes")).code).toBe(0);
    const gone = await run("cluster", "show", name);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/not found/);
  });
});

describe("flotilla package install, update, rollback, uninstall", () => {
  it("takes an install through its life on a cluster with no agent", async () => {
    const cluster = await newCluster();
    const name = unique("svc");
    await publish(name, "1.0.0");
    await publish(name, "1.1.0");
    const c = ["--cluster", cluster];

    const installed = await run(
      "package",
      "install",
      name,
      "--version",
      "1.0.0",
      "--set",
      "service.instances=2",
      ...c,
    );
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain(`Installed /${name} on cluster ${cluster}: ${name} 1.0.0, revision 1`);
    expect(installed.stdout).toContain(`${name} is starting`);

    const list = await run("package", "list", ...c);
    expect(list.stdout).toMatch(new RegExp(`^/${name}\\s+${name}\\s+1\\.0\\.0\\s+1\\s`, "m"));

    const options = join(gw.dir, unique("opts.json"));
    await writeFile(options, JSON.stringify({ service: { message: "from file" } }));
    const updated = jsonOf<Install>(
      await run("package", "update", `/${name}`, "--version", "1.1.0", "--options", options, ...c, "--json"),
    );
    expect(updated).toMatchObject({ version: "1.1.0", revision: 2 });
    expect(updated.options.user).toEqual({ service: { instances: 2, message: "from file" } });

    const history = await run("package", "history", `/${name}`, ...c);
    const rows = history.stdout.trimEnd().split("\n");
    expect(rows).toHaveLength(3);
    expect(rows[2]).toMatch(/^\*\s+2\s+update\s+1\.1\.0\s/);

    // Without --revision, rollback restores the revision before the current one.
    const rolled = await run("package", "rollback", `/${name}`, ...c);
    expect(rolled.code).toBe(0);
    expect(rolled.stdout).toContain("revision 3");
    expect(rolled.stdout).toContain("restored revision 1");
    const h = jsonOf<{ currentRevision: number; revisions: { reason: string; version: string }[] }>(
      await run("package", "history", name, ...c, "--json"),
    );
    expect(h.currentRevision).toBe(3);
    expect(h.revisions.at(-1)).toMatchObject({ reason: "rollback", version: "1.0.0" });

    const services = await run("service", "list", ...c);
    expect(services.stdout).toMatch(
      new RegExp(`^/${name}\\s+/${name}\\s+${name} 1\\.0\\.0\\s+0/2\\s+0\\s+deploying`, "m"),
    );

    const nothing = await run("package", "update", `/${name}`, ...c);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to update/);

    const uninstalled = await run("package", "uninstall", `/${name}`, ...c);
    expect(uninstalled.code).toBe(0);
    expect(uninstalled.stdout).toContain(`Uninstalled /${name}`);
    expect((await run("package", "list", ...c)).stdout).toContain(`Nothing installed on ${cluster}`);
    const again = await run("package", "uninstall", `/${name}`, ...c);
    expect(again.code).toBe(1);
  });

  it("--wait times out with exit 1 and says why the deployment waits when the cluster has no agent", async () => {
    const cluster = await newCluster();
    const name = unique("idle");
    await publish(name, "1.0.0");
    const started = Date.now();
    const waited = await run("package", "install", name, "--cluster", cluster, "--wait", "--timeout", "1");
    expect(waited.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(waited.stdout).toContain(`Waiting for /${name} on cluster ${cluster} to converge (timeout 1s)`);
    expect(waited.stdout).toContain(
      `/${name}: 0/1 healthy · waiting: no healthy agent in cluster ${cluster}`,
    );
    expect(waited.stderr).toMatch(
      new RegExp(`timed out after 1s waiting for /${name} to converge: .*no healthy agent`),
    );
    // Not a TTY: the unchanged progress line is printed once, not once per poll.
    expect(waited.stdout.split(`/${name}: 0/1`).length - 1).toBe(1);

    const badTimeout = await run(
      "package",
      "install",
      name,
      "--cluster",
      cluster,
      "--wait",
      "--timeout",
      "soon",
    );
    expect(badTimeout.code).toBe(2);
  });

  it("--wait follows a deployment to convergence as the agent reports healthy tasks", async () => {
    const { cluster, name, agent } = await withStandInAgent("live");

    const waiting = run(
      "package",
      "install",
      name,
      "--cluster",
      cluster,
      "--set",
      "service.instances=2",
      "--wait",
      "--timeout",
      "20",
    );
    await until(async () => (await run("package", "list", "--cluster", cluster)).stdout.includes(`/${name}`));
    await agent.tasks(`/${name}`, [{ taskId: `${name}.1`, state: "STARTING" }]);
    await agent.tasks(`/${name}`, [
      { taskId: `${name}.1`, state: "RUNNING", healthy: true },
      { taskId: `${name}.2`, state: "RUNNING", healthy: true },
    ]);
    const done = await waiting;
    expect(done.stderr).toBe("");
    expect(done.code).toBe(0);
    expect(done.stdout).toContain(`/${name} converged: /${name} 2/2 healthy`);

    // An update waits for the agent to report on the new revision, not the old tasks' health.
    const updating = run(
      "package",
      "update",
      `/${name}`,
      "--set",
      "service.message=v2",
      "--cluster",
      cluster,
      "--wait",
      "--timeout",
      "20",
    );
    await until(async () =>
      (await run("package", "history", `/${name}`, "--cluster", cluster)).stdout.includes("update"),
    );
    await agent.tasks(`/${name}`, [
      { taskId: `${name}.1`, state: "KILLED" },
      { taskId: `${name}.2`, state: "KILLED" },
      { taskId: `${name}.3`, state: "RUNNING", healthy: true },
      { taskId: `${name}.4`, state: "RUNNING", healthy: true },
    ]);
    const updated = await updating;
    expect(updated.stderr).toBe("");
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain(`/${name} converged: /${name} 2/2 healthy`);

    const tasks = await run("service", "tasks", `/${name}`, "--cluster", cluster);
    expect(tasks.stdout).toMatch(new RegExp(`^/${name}\\s+${name}\\.3\\s+RUNNING\\s+yes`, "m"));
    expect(tasks.stdout).toMatch(new RegExp(`^/${name}\\s+${name}\\.1\\s+KILLED\\s`, "m"));
    expect((await run("service", "show", name, "--cluster", cluster)).stdout).toMatch(
      /^Instances: +2\/2 healthy/m,
    );
  });

  it("--wait fails with exit 1 when the service's tasks keep failing", async () => {
    const { cluster, name, agent } = await withStandInAgent("crash");

    const waiting = run(
      "package",
      "install",
      name,
      "--cluster",
      cluster,
      "--wait",
      "--timeout",
      "20",
      "--json",
    );
    await until(async () => (await run("package", "list", "--cluster", cluster)).stdout.includes(`/${name}`));
    await agent.tasks(
      `/${name}`,
      [1, 2, 3].map((i) => ({ taskId: `${name}.${i}`, state: "FAILED", message: `exit code ${i}` })),
    );
    const done = await waiting;
    expect(done.code).toBe(1);
    // --json keeps stdout one JSON document (the install); progress and the verdict go to stderr.
    expect(JSON.parse(done.stdout)).toMatchObject({ appId: `/${name}`, revision: 1 });
    expect(done.stderr).toMatch(new RegExp(`/${name} is failing: 3 tasks failed \\(last: exit code \\d\\)`));
  });
});

describe("--wait on a terminal", () => {
  it("redraws one status line in place instead of printing every change, and clears it at the end", async () => {
    const cluster = await newCluster();
    const name = unique("tty");
    await publish(name, "1.0.0");
    const stdout: string[] = [];
    const stderr: string[] = [];
    const updates: string[] = [];
    const terminal: Output = {
      line: (t) => stdout.push(t),
      error: (t) => stderr.push(t),
      json: (v) => stdout.push(JSON.stringify(v)),
      tty: true,
      update: (t) => updates.push(t),
    };
    const env = { FLOTILLA_GATEWAY: gw.url, FLOTILLA_TOKEN: ADMIN_TOKEN };
    const code = await runCli(
      ["package", "install", name, "--cluster", cluster, "--wait", "--timeout", "1"],
      terminal,
      { env },
    );
    expect(code).toBe(1);
    expect(updates[0]).toMatch(new RegExp(`^/${name}: 0/1 healthy · waiting: no healthy agent`));
    expect(updates.at(-1)).toBe("");
    expect(stdout.some((l) => l.startsWith(`/${name}: 0/1`))).toBe(false);
    expect(stderr.join("\n")).toMatch(/timed out after 1s/);
  });
});

/**
 * Where the CLI connects and with what: `login` checks and stores the token owner-only,
 * flags beat the environment which beats the config file, and the token never appears.
 */
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  cliIn,
  deadUrl,
  jsonOf,
  startTestGateway,
  type TestGateway,
  unique,
} from "./gateway.js";

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

const configIn = (name: string) => join(gw.dir, unique(name), "flotilla", "config.json");

describe("flotilla login", () => {
  it("checks the token, writes the config owner-only and never prints the token", async () => {
    const config = configIn("login");
    const run = cliIn({ FLOTILLA_CONFIG: config });
    const login = await run("login", gw.url, "--token", ADMIN_TOKEN);
    expect(login.code).toBe(0);
    expect(login.stdout).toContain(`Logged in to ${gw.url}`);
    expect(login.stdout).toContain(`flt_…${ADMIN_TOKEN.slice(-4)}`);
    expect(login.stdout + login.stderr).not.toContain(ADMIN_TOKEN);

    expect(JSON.parse(await readFile(config, "utf8"))).toEqual({ gateway: gw.url, token: ADMIN_TOKEN });
    expect((await stat(config)).mode & 0o777).toBe(0o600);
    expect((await stat(join(config, ".."))).mode & 0o777).toBe(0o700);

    // Later commands need neither flag.
    const name = unique("after-login");
    expect((await run("cluster", "create", name)).code).toBe(0);
    expect((await run("cluster", "list")).stdout).toContain(name);
  });

  it("finds the config under XDG_CONFIG_HOME, then ~/.config, when FLOTILLA_CONFIG is not set", async () => {
    const xdg = join(gw.dir, unique("xdg"));
    expect((await cliIn({ XDG_CONFIG_HOME: xdg })("login", gw.url, "--token", ADMIN_TOKEN)).code).toBe(0);
    expect(JSON.parse(await readFile(join(xdg, "flotilla", "config.json"), "utf8")).gateway).toBe(gw.url);

    const home = join(gw.dir, unique("home"));
    const ctx = jsonOf<{ config: string }>(await cliIn({ HOME: home })("context", "--json"));
    expect(ctx.config).toBe(join(home, ".config", "flotilla", "config.json"));
  });

  it("refuses a token the gateway does not accept, writing nothing, and says to log in", async () => {
    const config = configIn("bad");
    const run = await cliIn({ FLOTILLA_CONFIG: config })(
      "login",
      gw.url,
      "--token",
      "flt_not-a-real-token-000000000000",
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/did not accept the token: run flotilla login/);
    await expect(stat(config)).rejects.toThrow(/ENOENT/);
  });

  it("exits 2 without a token or with a URL that is not http(s)", async () => {
    const env = { FLOTILLA_CONFIG: configIn("usage") };
    const noToken = await cliIn(env)("login", gw.url);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toMatch(/--token/);
    const badUrl = await cliIn(env)("login", "ftp://example.com", "--token", ADMIN_TOKEN);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/http:\/\/ or https:\/\//);
  });

  it("logs out by deleting the config, after which commands say how to log in", async () => {
    const env = { FLOTILLA_CONFIG: configIn("logout") };
    const run = cliIn(env);
    await run("login", gw.url, "--token", ADMIN_TOKEN);
    const out = await run("logout");
    expect(out.code).toBe(0);
    expect(out.stdout).toContain("Logged out");
    await expect(stat(env.FLOTILLA_CONFIG)).rejects.toThrow(/ENOENT/);
    const after = await run("cluster", "list");
    expect(after.code).toBe(2);
    expect(after.stderr).toMatch(/flotilla login <url> --token/);
    expect((await run("logout")).stdout).toMatch(/Not logged in/);
  });
});

describe("which gateway, token and cluster a command uses", () => {
  it("takes the flag over the environment over the config file, and shows the token masked", async () => {
    const config = configIn("precedence");
    const bad = "flt_wrong-token-wrong-token-000000";
    await cliIn({ FLOTILLA_CONFIG: config })("login", gw.url, "--token", ADMIN_TOKEN);
    const dead = await deadUrl();

    // Config only.
    const fromFile = jsonOf<Record<string, { value: string; source: string }>>(
      await cliIn({ FLOTILLA_CONFIG: config })("context", "--json"),
    );
    expect(fromFile.gateway).toEqual({ value: gw.url, source: "config" });
    expect(fromFile.token).toEqual({ value: `flt_…${ADMIN_TOKEN.slice(-4)}`, source: "config" });

    // The environment beats the file: a wrong FLOTILLA_TOKEN is used, and refused.
    const envRun = cliIn({ FLOTILLA_CONFIG: config, FLOTILLA_TOKEN: bad, FLOTILLA_GATEWAY: dead });
    const refused = await envRun("cluster", "list", "--gateway", gw.url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/flotilla login/);

    // The flags beat both.
    const ok = await envRun("cluster", "list", "--gateway", gw.url, "--token", ADMIN_TOKEN, "--json");
    expect(ok.code).toBe(0);
    expect(Array.isArray(JSON.parse(ok.stdout).clusters)).toBe(true);

    // And the environment's unreachable gateway is what is used without the flag.
    const unreachable = await envRun("cluster", "list", "--token", ADMIN_TOKEN);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(`is the gateway running at ${dead}?`);

    const shown = await envRun("context", "--cluster", "edge-9");
    expect(shown.stdout).toMatch(new RegExp(`Gateway: +${dead} \\(from environment\\)`));
    expect(shown.stdout).toMatch(/Token: +flt_….{4} \(from environment\)/);
    expect(shown.stdout).toMatch(/Cluster: +edge-9 \(from flag\)/);
    expect(shown.stdout).not.toContain(bad);
  });

  it("keeps a default cluster from `cluster use`, which FLOTILLA_CLUSTER and --cluster override", async () => {
    const config = configIn("use");
    const run = cliIn({ FLOTILLA_CONFIG: config });
    await run("login", gw.url, "--token", ADMIN_TOKEN);
    const [a, b] = [unique("use-a"), unique("use-b")];
    await run("cluster", "create", a);
    await run("cluster", "create", b);

    const none = await run("package", "list");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--cluster <name>.*FLOTILLA_CLUSTER.*flotilla cluster use/);

    expect((await run("cluster", "use", a)).code).toBe(0);
    expect(JSON.parse(await readFile(config, "utf8")).cluster).toBe(a);
    expect((await run("package", "list")).stdout).toContain(`Nothing installed on ${a}`);
    expect(
      (await cliIn({ FLOTILLA_CONFIG: config, FLOTILLA_CLUSTER: b })("package", "list")).stdout,
    ).toContain(`Nothing installed on ${b}`);
    expect((await run("package", "list", "--cluster", b)).stdout).toContain(`Nothing installed on ${b}`);
    expect((await run("cluster", "list")).stdout).toMatch(new RegExp(`\\*\\s+${a}`));

    const missing = await run("cluster", "use", unique("nope"));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found/);
  });
});

/** The built `flotilla` bin as a user runs it: a child process with the real environment path. */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/sample.js";
import { ADMIN_TOKEN, startTestGateway, type TestGateway } from "./gateway.js";

const bin = join(REPO_ROOT, "dist/cli/main.js");
const exec = promisify(execFile);

let gw: TestGateway;
beforeAll(async () => {
  gw = await startTestGateway();
});
afterAll(async () => {
  await gw?.close();
});

/** Runs the bin with only `env` (plus PATH): no CI, TEST or NO_COLOR to hide colour handling. */
async function flotillaBin(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await exec(process.execPath, [bin, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("the built flotilla bin", () => {
  it("logs in, keeps the config at FLOTILLA_CONFIG, and lists clusters as JSON", async () => {
    expect(existsSync(bin), "dist/cli/main.js is missing: run `npm run build` (npm test does it first)").toBe(
      true,
    );
    const config = join(gw.dir, "bin-config.json");
    const login = await flotillaBin({ FLOTILLA_CONFIG: config }, "login", gw.url, "--token", ADMIN_TOKEN);
    expect(login.code).toBe(0);
    expect(login.stdout).not.toContain(ADMIN_TOKEN);
    expect(JSON.parse(await readFile(config, "utf8"))).toMatchObject({ gateway: gw.url });

    const created = await flotillaBin({ FLOTILLA_CONFIG: config }, "cluster", "create", "from-bin", "--json");
    expect(JSON.parse(created.stdout)).toMatchObject({ name: "from-bin" });
    const listed = await flotillaBin({ FLOTILLA_CONFIG: config }, "cluster", "list", "--json");
    expect(JSON.parse(listed.stdout).clusters.map((c: { name: string }) => c.name)).toContain("from-bin");
  });

  it("exits 2 on bad usage and prints help without colour codes when piped", async () => {
    const bad = await flotillaBin({}, "cluster", "lst");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown command "lst"/);
    const help = await flotillaBin({}, "package", "install", "--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("USAGE flotilla package install");
    expect(help.stdout.includes("\x1b[")).toBe(false);
  });
});

/**
 * The contract scripts rely on: exit 2 for bad usage (before anything is sent), `--help` with
 * examples on every command, plain text when not a terminal, errors that name what to do.
 */
import { createServer, type Server } from "node:http";
import type { CommandDef } from "citty";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rootCommand } from "../../cli/run.js";
import { cliIn, deadUrl } from "./gateway.js";

const run = cliIn({});

/** Every command path of the tree: ["package", "install"], ["lint"], … */
async function commandPaths(cmd: CommandDef, prefix: string[] = []): Promise<string[][]> {
  const subs = typeof cmd.subCommands === "function" ? await cmd.subCommands() : await cmd.subCommands;
  if (!subs) return [prefix];
  const paths: string[][] = [prefix];
  for (const [name, sub] of Object.entries(subs)) {
    const def = (typeof sub === "function" ? await sub() : await sub) as CommandDef;
    paths.push(...(await commandPaths(def, [...prefix, name])));
  }
  return paths;
}

describe("usage", () => {
  it("prints help with examples for every command, exit 0, without colour codes", async () => {
    const paths = await commandPaths(rootCommand as CommandDef);
    expect(paths.length).toBeGreaterThan(40);
    for (const path of paths) {
      const help = await run(...path, "--help");
      expect(help.code, path.join(" ")).toBe(0);
      expect(help.stdout, path.join(" ")).toMatch(/Examples:\n {2}(flotilla|FLOTILLA_|npx flotilla)/);
      expect(help.stdout, path.join(" ")).toContain(
        `USAGE flotilla${path.length ? ` ${path.join(" ")}` : ""}`,
      );
      expect(help.stdout.includes("\x1b[")).toBe(false);
    }
  });

  it("exits 2 on an unknown command, option or extra argument, naming what is wrong", async () => {
    const unknown = await run("packge", "list");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command "packge" for "flotilla"; the commands are: .*package/);

    const sub = await run("package", "instal", "x");
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/unknown command "instal" for "flotilla package"/);

    const flag = await run("cluster", "list", "--clustr", "x");
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown option --clustr for "flotilla cluster list"/);

    const extra = await run("package", "describe", "a", "b");
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/unexpected argument "b"/);

    const missing = await run("package", "describe");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/Missing required positional argument: NAME/);

    const noValue = await run("package", "install", "x", "--cluster");
    expect(noValue.code).toBe(2);
    expect(noValue.stderr).toMatch(/--cluster needs a value/);

    const group = await run("package");
    expect(group.code).toBe(2);
    expect(group.stderr).toContain("USAGE flotilla package");

    const badSet = await run("package", "render", "x", "--set", "novalue", "--gateway", "http://127.0.0.1:9");
    expect(badSet.code).toBe(2);
    expect(badSet.stderr).toMatch(/key\.path=value/);
  });

  it("exits 2 when no gateway is configured, saying how to log in", async () => {
    const none = await run("cluster", "list");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/flotilla login <url> --token/);
  });

  it("prints the version", async () => {
    expect((await run("--version")).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("talking to something that is not a working gateway", () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url?.startsWith("/v1/clusters/boom")) {
        res.writeHead(500, { "content-type": "application/problem+json" });
        res.end(JSON.stringify({ detail: "internal error", requestId: "req-42" }));
      } else {
        res.writeHead(200, { "content-type": "text/html" });
        res.end("<html>not flotilla</html>");
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("names the URL when nothing answers there", async () => {
    const dead = await deadUrl();
    const res = await run("cluster", "list", "--gateway", dead, "--token", "flt_x");
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      `cannot reach the gateway at ${dead} (ECONNREFUSED): is the gateway running at ${dead}?`,
    );
  });

  it("says when the answer is not the gateway's JSON, and points at the log for a 500", async () => {
    const html = await run("cluster", "list", "--gateway", url, "--token", "flt_x");
    expect(html.code).toBe(1);
    expect(html.stderr).toMatch(/not JSON; is .* a Flotilla gateway\?/);
    const boom = await run("cluster", "show", "boom", "--gateway", url, "--token", "flt_x");
    expect(boom.code).toBe(1);
    expect(boom.stderr).toMatch(
      /internal error\nThe gateway log has the details: search it for request req-42/,
    );
  });
});

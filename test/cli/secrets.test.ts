/** `flotilla secret`: set from stdin or a file (never echoed back), list, delete, and refusals. */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliHost } from "../../cli/host.js";
import { secrets } from "../../gateway/db/schema.js";
import { type CliRun, runCaptured } from "../helpers/cli.js";
import { ADMIN_TOKEN, cliIn, jsonOf, startTestGateway, type TestGateway, unique } from "./gateway.js";

let gw: TestGateway;
let admin: ReturnType<typeof cliIn>;
let env: Record<string, string>;
beforeAll(async () => {
  gw = await startTestGateway();
  env = { FLOTILLA_GATEWAY: gw.url, FLOTILLA_TOKEN: ADMIN_TOKEN };
  admin = cliIn(env);
});
afterAll(async () => {
  await gw?.close();
});

/** Runs `flotilla …` with `stdin` as its standard input (not a terminal unless `tty`). */
function withStdin(stdin: string, args: string[], host: Partial<CliHost> = {}): Promise<CliRun> {
  return runCaptured(args, {
    env,
    readStdin: async () => new TextEncoder().encode(stdin),
    stdinIsTTY: false,
    ...host,
  });
}

/** The value the gateway stored, decrypted with its own key (a test seam; no route returns it). */
async function storedValue(clusterId: string, path: string): Promise<string> {
  const { db, secrets: box } = gw.gateway.deps;
  const [row] = await db
    .select()
    .from(secrets)
    .where(and(eq(secrets.clusterId, clusterId), eq(secrets.path, path)));
  if (!row || !box) throw new Error(`no secret ${path}`);
  return box.open(row, { clusterId, path });
}

async function newCluster(): Promise<{ id: string; name: string }> {
  return jsonOf(await admin("cluster", "create", unique("sec"), "--json"));
}

describe("flotilla secret", () => {
  it("sets a secret from standard input without its trailing newline, lists it without the value, replaces and deletes it", async () => {
    const cluster = await newCluster();
    const set = await withStdin("s3cret-from-stdin\n", ["secret", "set", cluster.name, "db/password"]);
    expect(set).toMatchObject({ code: 0, stderr: "" });
    expect(set.stdout).toBe(`Created secret db/password of cluster ${cluster.name}.\n`);
    expect(await storedValue(cluster.id, "db/password")).toBe("s3cret-from-stdin");

    const list = await admin("secret", "list", cluster.name);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^PATH\s+UPDATED\s+UPDATED BY\s+CREATED\ndb\/password\s+\S+/);
    expect(list.stdout).not.toContain("s3cret");
    const listed = jsonOf<{ secrets: { path: string }[] }>(
      await admin("secret", "list", cluster.id, "--json"),
    );
    expect(listed.secrets.map((s) => s.path)).toEqual(["db/password"]);

    const replaced = await withStdin("second\r\n", ["secret", "set", cluster.id, "db/password"]);
    expect(replaced.stdout).toContain("Replaced secret db/password");
    expect(await storedValue(cluster.id, "db/password")).toBe("second");

    const deleted = await admin("secret", "delete", cluster.name, "db/password");
    expect(deleted).toMatchObject({
      code: 0,
      stdout: `Deleted secret db/password of cluster ${cluster.name}.\n`,
    });
    expect((await admin("secret", "list", cluster.name)).stdout).toMatch(/No secrets in cluster/);
    const again = await admin("secret", "delete", cluster.name, "db/password");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/secret db\/password of cluster .* not found/);
  });

  it("takes a file exactly as it is, and --value only with a warning", async () => {
    const cluster = await newCluster();
    const file = join(gw.dir, "server.key");
    await writeFile(file, "line one\nline two\n");
    expect((await admin("secret", "set", cluster.id, "tls/key", "--from-file", file)).code).toBe(0);
    expect(await storedValue(cluster.id, "tls/key")).toBe("line one\nline two\n");

    const inline = await admin("secret", "set", cluster.id, "api/key", "--value", "inline-value");
    expect(inline.code).toBe(0);
    expect(inline.stderr).toMatch(/warning: --value leaves the secret in your shell history/);
    expect(inline.stdout).not.toContain("inline-value");
    expect(await storedValue(cluster.id, "api/key")).toBe("inline-value");
  });

  it("refuses to read a value from a terminal, two sources at once, or a missing file, as bad usage", async () => {
    const cluster = await newCluster();
    const tty = await withStdin("", ["secret", "set", cluster.id, "a"], { stdinIsTTY: true });
    expect(tty.code).toBe(2);
    expect(tty.stderr).toMatch(/give the value on standard input .* or with --from-file/);
    const empty = await withStdin("\n", ["secret", "set", cluster.id, "a"]);
    expect(empty).toMatchObject({ code: 2, stderr: expect.stringMatching(/standard input was empty/) });
    const both = await admin("secret", "set", cluster.id, "a", "--value", "x", "--from-file", "y");
    expect(both.code).toBe(2);
    const missing = await admin("secret", "set", cluster.id, "a", "--from-file", join(gw.dir, "nope"));
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/no such file/) });
    expect(
      jsonOf<{ secrets: unknown[] }>(await admin("secret", "list", cluster.id, "--json")).secrets,
    ).toEqual([]);
  });

  it("passes the gateway's refusals on: a bad path, and a role that may not set secrets", async () => {
    const cluster = await newCluster();
    const bad = await withStdin("v", ["secret", "set", cluster.id, "../etc/passwd"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/segments of letters, digits/);
    const { token } = jsonOf<{ token: string }>(
      await admin("token", "create", unique("op"), "--role", "operator", "--json"),
    );
    const operator = await withStdin("v", ["secret", "set", cluster.id, "x", "--token", token]);
    expect(operator.code).toBe(1);
    expect(operator.stderr).toMatch(/needs the admin role; your token has operator/);
  });
});

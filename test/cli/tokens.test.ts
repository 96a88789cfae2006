/** API tokens from the command line, and what the CLI says when a token may not do something. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, cliIn, jsonOf, startTestGateway, type TestGateway, unique } from "./gateway.js";

let gw: TestGateway;
let admin: ReturnType<typeof cliIn>;
beforeAll(async () => {
  gw = await startTestGateway();
  admin = cliIn({ FLOTILLA_GATEWAY: gw.url, FLOTILLA_TOKEN: ADMIN_TOKEN });
});
afterAll(async () => {
  await gw?.close();
});

describe("flotilla token", () => {
  it("creates a token shown once, lists it without its secret, and revokes it", async () => {
    const cluster = unique("tok");
    await admin("cluster", "create", cluster);
    const name = unique("deployer");
    const created = await admin("token", "create", name, "--role", "operator", "--clusters", cluster);
    expect(created.code).toBe(0);
    const secret = /\n {2}(flt_\S+)\n/.exec(created.stdout)?.[1] as string;
    expect(secret).toMatch(/^flt_/);
    // The gateway keeps the limit by cluster id.
    expect(created.stdout).toMatch(new RegExp(`"${name}" \\(operator, clusters cl_\\w+\\)`));

    const list = await admin("token", "list");
    expect(list.stdout).not.toContain(secret);
    const row = list.stdout.split("\n").find((l) => l.includes(name)) as string;
    expect(row).toMatch(new RegExp(`^tok_\\S+\\s+${name}\\s+operator\\s+cl_\\w+\\s+no\\s`));
    const id = row.split(/\s+/)[0] as string;

    // The new token works, within its cluster.
    const asOperator = cliIn({ FLOTILLA_GATEWAY: gw.url, FLOTILLA_TOKEN: secret });
    expect((await asOperator("package", "list", "--cluster", cluster)).code).toBe(0);

    expect((await admin("token", "revoke", id)).stdout).toContain(`Revoked token ${id}`);
    const listed = jsonOf<{ tokens: { id: string; revoked: boolean }[] }>(
      await admin("token", "list", "--json"),
    );
    expect(listed.tokens.find((t) => t.id === id)?.revoked).toBe(true);

    const after = await asOperator("package", "list", "--cluster", cluster);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/did not accept the token: run flotilla login/);
  });

  it("says which role is missing when a token may not do something, with exit 1", async () => {
    const created = jsonOf<{ token: string }>(
      await admin("token", "create", unique("ro"), "--role", "viewer", "--json"),
    );
    const viewer = cliIn({ FLOTILLA_GATEWAY: gw.url, FLOTILLA_TOKEN: created.token });
    expect((await viewer("cluster", "list")).code).toBe(0);
    const refused = await viewer("cluster", "create", unique("nope"));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/needs the admin role; your token has viewer/);
    expect(refused.stderr).toMatch(/flotilla token create/);
  });

  it("refuses an unknown role as bad usage", async () => {
    const run = await admin("token", "create", "x", "--role", "root");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/Expected one of/);
  });
});

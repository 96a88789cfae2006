/**
 * The agent's configuration: flags over environment, resources detected unless overridden,
 * repeatable attributes, port ranges, and errors that name the flag and the variable.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, type HostFacts, parseAgentConfig } from "../../../agent/config.js";

const host: HostFacts = { cpus: () => 8, memMb: () => 16_000, diskMb: () => 50_000, hostname: () => "box-1" };
const GATEWAY = { FLOTILLA_GATEWAY: "https://gw.example:8443/" };

function fails(argv: string[], env: Record<string, string>): string {
  try {
    parseAgentConfig(argv, env, host);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("agent configuration", () => {
  it("detects the node's resources and hostname when nothing overrides them", () => {
    const c = parseAgentConfig([], GATEWAY, host);
    expect(c).toMatchObject({
      gateway: "https://gw.example:8443",
      runtime: "auto",
      resources: { cpus: 8, mem: 16_000, disk: 50_000, gpus: 0 },
      ports: [[31000, 32000]],
      attributes: {},
      hostname: "box-1",
      logLevel: "info",
    });
    expect(c.dataDir).toMatch(/\/data\/agent$/);
    expect(c.joinToken).toBeUndefined();
  });

  it("takes flags over environment variables, with repeatable attributes and several port ranges", () => {
    const c = parseAgentConfig(
      [
        "--cpus",
        "2.5",
        "--attribute",
        "zone=eu-1",
        "--attribute",
        "rack=r7",
        "--ports",
        "31000-31099, 8080",
        "--runtime",
        "process",
      ],
      {
        ...GATEWAY,
        FLOTILLA_AGENT_CPUS: "16",
        FLOTILLA_AGENT_MEM: "2048",
        FLOTILLA_AGENT_ATTRIBUTES: "zone=ignored",
        FLOTILLA_JOIN_TOKEN: `fltj_${"a".repeat(32)}`,
        FLOTILLA_AGENT_DATA_DIR: "/var/lib/flotilla-agent",
      },
      host,
    );
    expect(c.resources).toEqual({ cpus: 2.5, mem: 2048, disk: 50_000, gpus: 0 });
    expect(c.attributes).toEqual({ zone: "eu-1", rack: "r7" });
    expect(c.ports).toEqual([
      [31000, 31099],
      [8080, 8080],
    ]);
    expect(c.runtime).toBe("process");
    expect(c.joinToken).toBe(`fltj_${"a".repeat(32)}`);
    expect(c.dataDir).toBe("/var/lib/flotilla-agent");
  });

  it("reads attributes from the environment when no flag gives any", () => {
    expect(
      parseAgentConfig([], { ...GATEWAY, FLOTILLA_AGENT_ATTRIBUTES: "zone=a, rack=b" }, host).attributes,
    ).toEqual({
      zone: "a",
      rack: "b",
    });
  });

  it("names the flag and the variable of every missing or invalid setting", () => {
    expect(fails([], {})).toContain("--gateway / FLOTILLA_GATEWAY: is required");
    const message = fails(["--runtime", "podman", "--ports", "32000-31000", "--cpus=-1"], {
      FLOTILLA_GATEWAY: "ftp://nope",
      FLOTILLA_JOIN_TOKEN: "secret",
    });
    expect(message).toContain("--gateway / FLOTILLA_GATEWAY: must be an http:// or https:// URL");
    expect(message).toContain("--runtime / FLOTILLA_AGENT_RUNTIME: must be docker, process or auto");
    expect(message).toContain('--ports / FLOTILLA_AGENT_PORTS: "32000-31000" is not a port range');
    expect(message).toContain("--cpus / FLOTILLA_AGENT_CPUS");
    expect(message).toContain("--join-token / FLOTILLA_JOIN_TOKEN: must be a join token");
    expect(fails(["--attribute", "zone"], GATEWAY)).toContain(
      "--attribute / FLOTILLA_AGENT_ATTRIBUTES: must be key=value",
    );
    expect(fails(["--bogus"], GATEWAY)).toMatch(/Unknown option '--bogus'/);
  });

  it("refuses a machine name that is not a host name unless --hostname replaces it", () => {
    const odd = { ...host, hostname: () => "my_box!" };
    expect(() => parseAgentConfig([], GATEWAY, odd)).toThrow(/--hostname \/ FLOTILLA_AGENT_HOSTNAME/);
    expect(parseAgentConfig(["--hostname", "node-7"], GATEWAY, odd).hostname).toBe("node-7");
  });
});

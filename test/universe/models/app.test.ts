import { describe, expect, it } from "vitest";
import { UniverseError } from "../../../universe/errors.js";
import { appPortDefinitions, parseApp } from "../../../universe/models/index.js";

const minimal = { id: "/web", cmd: "python3 -m http.server $PORT0" };

describe("parsing a Marathon app", () => {
  it("fills in Marathon's defaults for the fields Flotilla acts on", () => {
    const { value, warnings } = parseApp(minimal);
    expect(value).toMatchObject({
      instances: 1,
      cpus: 1,
      mem: 128,
      disk: 0,
      requirePorts: false,
      backoffSeconds: 1,
      backoffFactor: 1.15,
      maxLaunchDelaySeconds: 300,
      killSelection: "YOUNGEST_FIRST",
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 1 },
      constraints: [],
      healthChecks: [],
    });
    expect(warnings).toEqual([]);
  });

  it("keeps fields it does not act on and warns about each one", () => {
    const input = { ...minimal, fetch: [{ uri: "https://x" }], someVendorField: { a: 1 } };
    const { value, warnings } = parseApp(input, "apps[0]");
    expect((value as Record<string, unknown>).fetch).toEqual([{ uri: "https://x" }]);
    expect((value as Record<string, unknown>).someVendorField).toEqual({ a: 1 });
    expect(warnings).toEqual([
      'apps[0] (/web): Marathon field "fetch" is kept but not used by Flotilla',
      'apps[0] (/web): unknown field "someVendorField" is kept and ignored',
    ]);
  });

  it("applies health check defaults from SCHEDULING.md", () => {
    const { value } = parseApp({ ...minimal, healthChecks: [{ protocol: "HTTP", path: "/" }] });
    expect(value.healthChecks[0]).toMatchObject({
      gracePeriodSeconds: 300,
      intervalSeconds: 60,
      timeoutSeconds: 20,
      maxConsecutiveFailures: 3,
    });
  });

  it("accepts every constraint operator in array and legacy string form", () => {
    const { value } = parseApp({
      ...minimal,
      constraints: [
        ["hostname", "UNIQUE"],
        ["rack", "CLUSTER", "r1"],
        ["zone", "GROUP_BY", "3"],
        ["zone", "LIKE", "eu-.*"],
        ["zone", "UNLIKE", "us-.*"],
        ["rack", "MAX_PER", 2],
        "zone:IS:eu-1",
      ],
    });
    expect(value.constraints).toEqual([
      ["hostname", "UNIQUE"],
      ["rack", "CLUSTER", "r1"],
      ["zone", "GROUP_BY", "3"],
      ["zone", "LIKE", "eu-.*"],
      ["zone", "UNLIKE", "us-.*"],
      ["rack", "MAX_PER", "2"],
      ["zone", "IS", "eu-1"],
    ]);
  });

  it("refuses an unknown operator, a missing value and a bad regex with a message naming each", () => {
    const bad = (constraints: unknown[]) => () => parseApp({ ...minimal, constraints });
    expect(bad([["zone", "NEAR", "x"]])).toThrow(/unknown constraint operator NEAR/);
    expect(bad([["zone", "LIKE"]])).toThrow(/LIKE needs a value/);
    expect(bad([["zone", "LIKE", "("]])).toThrow(/not a valid regular expression/);
    expect(bad([["zone", "MAX_PER", "0"]])).toThrow(/positive whole number/);
  });

  it("lists every failing field with its JSON pointer", () => {
    try {
      parseApp({ id: "/x", cmd: "run", cpus: "lots", instances: -1, healthChecks: [{ protocol: "SMOKE" }] });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UniverseError);
      const err = e as UniverseError;
      expect(err.code).toBe("INVALID_PLAN");
      expect(err.message).toMatch(/\/cpus/);
      expect(err.message).toMatch(/\/instances/);
      expect(err.message).toMatch(/\/healthChecks\/0\/protocol/);
    }
  });

  it("refuses an app with nothing to run, or with both cmd and args", () => {
    expect(() => parseApp({ id: "/idle" })).toThrow(/needs a cmd, args or a container\.docker\.image/);
    expect(() => parseApp({ id: "/both", cmd: "a", args: ["b"] })).toThrow(/either cmd or args/);
  });

  it("takes an empty args next to cmd as no args, as Marathon does", () => {
    const { value } = parseApp({ id: "/run", cmd: "./run", args: [] });
    expect(value.cmd).toBe("./run");
  });

  it("reads legacy ports as port definitions", () => {
    const { value } = parseApp({ ...minimal, ports: [0, 8080] });
    expect(appPortDefinitions(value)).toEqual([
      { port: 0, protocol: "tcp" },
      { port: 8080, protocol: "tcp" },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { appVersionId, createRng, portEnvironment, schedule } from "../../../agent/scheduler/index.js";
import { app, desired, NOW, node, task, violations } from "./fixtures.js";

const run = (
  apps: ReturnType<typeof app>[],
  nodes = [node("a"), node("b")],
  tasks = [] as ReturnType<typeof task>[],
) => schedule({ nodes, apps: apps.map((a) => desired(a)), tasks }, NOW, createRng(9));

describe("the services framework", () => {
  it("gives `port: 0` any free ports of the node and exports them as PORT variables", () => {
    const a = app({ id: "/api", portDefinitions: [{ port: 0, name: "http" }, { port: 0 }] });
    const [l] = run([a]).launches;
    expect(l!.ports).toHaveLength(2);
    expect(l!.ports.every((p) => p >= 31000 && p <= 31099)).toBe(true);
    expect(portEnvironment(a, l!.ports)).toEqual({
      PORT: String(l!.ports[0]),
      PORT0: String(l!.ports[0]),
      PORT1: String(l!.ports[1]),
      PORT_HTTP: String(l!.ports[0]),
      PORTS: l!.ports.join(","),
    });
  });

  it("treats declared ports as any port unless requirePorts asks for exactly them", () => {
    const loose = app({ id: "/loose", portDefinitions: [{ port: 8080 }] });
    expect(run([loose]).launches[0]!.ports[0]).not.toBe(8080);
    const strict = app({
      id: "/strict",
      instances: 3,
      requirePorts: true,
      portDefinitions: [{ port: 31050 }],
    });
    const result = run([strict]);
    expect(result.launches.map((l) => l.ports)).toEqual([[31050], [31050]]);
    expect(new Set(result.launches.map((l) => l.nodeId)).size).toBe(2);
    expect(result.pending[0]!.message).toBe("0 of 2 nodes fit: 2 lack free port 31050");
  });

  it("reads Docker port mappings: hostPort 0 is any port, a number is exactly that port", () => {
    const a = app({
      id: "/docker",
      container: {
        type: "DOCKER",
        docker: {
          image: "nginx",
          portMappings: [
            { containerPort: 80, hostPort: 0 },
            { containerPort: 443, hostPort: 31099 },
          ],
        },
      },
    });
    const ports = run([a]).launches[0]!.ports;
    expect(ports).toContain(31099);
    expect(ports).toHaveLength(2);
  });

  it("never gives a host port twice on a node, counting ports of running tasks", () => {
    const nodes = [node("a", { ports: [[31000, 31003]] })];
    const running = [task("old", "/other", "a", { ports: [31000, 31001] })];
    const result = run([app({ id: "/p", instances: 3, portDefinitions: [{ port: 0 }] })], nodes, running);
    expect(result.launches.map((l) => l.ports[0]).sort()).toEqual([31002, 31003]);
    expect(result.pending[0]!.message).toBe("0 of 1 nodes fit: 1 has < 1 free ports");
  });

  it("bin-packs by default: the fullest node that fits comes first", () => {
    const running = [task("busy", "/other", "b", { resources: { cpus: 4, mem: 8192 } })];
    const result = run([app({ id: "/small", instances: 2 })], [node("a"), node("b"), node("c")], running);
    expect(result.launches.map((l) => l.nodeId)).toEqual(["b", "b"]);
  });

  it("spreads when the app's FLOTILLA_PLACEMENT label says so: least loaded node first", () => {
    const running = [task("busy", "/other", "b", { resources: { cpus: 4, mem: 8192 } })];
    const spread = app({ id: "/s", instances: 3, labels: { FLOTILLA_PLACEMENT: "spread" } });
    const on = run([spread], [node("a"), node("b"), node("c")], running).launches.map((l) => l.nodeId);
    // a and c are empty, b half full: a third instance still finds a or c less loaded than b.
    expect(new Set(on)).toEqual(new Set(["a", "c"]));
    const two = run([{ ...spread, instances: 2 }], [node("a"), node("b"), node("c")], running).launches;
    expect(two.map((l) => l.nodeId).sort()).toEqual(["a", "c"]);
  });

  it("never over-commits a node, and says which resource is short", () => {
    const nodes = [node("a", { resources: { cpus: 2, mem: 4096 } })];
    const result = run([app({ id: "/m", instances: 5, cpus: 0.5, mem: 1000 })], nodes);
    expect(result.launches).toHaveLength(4);
    expect(
      violations(
        nodes,
        [],
        result.launches.map((l) => task(l.taskId, "/m", l.nodeId, { resources: l.resources })),
      ),
    ).toEqual([]);
    expect(result.pending[0]!.message).toBe("0 of 1 nodes fit: 1 has < 0.5 cpus free");
  });

  it("gives the app's version to every task it launches, with task ids that name the app", () => {
    const result = run([app({ id: "/prod/web", instances: 2 })]);
    expect(result.launches.map((l) => [l.appId, l.version])).toEqual([
      ["/prod/web", "v1"],
      ["/prod/web", "v1"],
    ]);
    expect(result.launches[0]!.taskId).toMatch(/^prod_web\./);
    expect(new Set(result.launches.map((l) => l.taskId)).size).toBe(2);
  });

  it("uses a version id that ignores instances, so that only-instances changes scale", () => {
    const base = app({ id: "/v", instances: 2, cpus: 1 });
    expect(appVersionId({ ...base, instances: 9 })).toBe(appVersionId(base));
    expect(appVersionId({ ...base, cpus: 2 })).not.toBe(appVersionId(base));
    expect(appVersionId(base)).toMatch(/^[0-9a-f]{16}$/);
  });
});

// The environment every runtime gives a task, and the specs no runtime accepts.
import { describe, expect, it } from "vitest";
import { portEnvName, taskEnv, taskLabels, validateSpec } from "../../../agent/runtime/env.js";
import type { TaskLaunchSpec } from "../../../agent/runtime/types.js";

const base: TaskLaunchSpec = {
  taskId: "prod_web.1a2b",
  kind: "service",
  appId: "/prod/web",
  env: { PORT0: "forged", MESOS_TASK_ID: "forged", LOG_LEVEL: "debug" },
  ports: [{ port: 31001, name: "http" }, { port: 31002, name: "admin-ui.v2" }, { port: 31003 }],
  cpus: 1,
  mem: 128,
  labels: { team: "web", "io.flotilla.task-id": "forged" },
  killGracePeriodMs: 5000,
};

describe("task environment", () => {
  it("names ports PORT_<NAME> upper-cased with every other character as _", () => {
    expect(portEnvName("admin-ui.v2")).toBe("PORT_ADMIN_UI_V2");
    expect(portEnvName("http")).toBe("PORT_HTTP");
  });

  it("adds the port, host and task-id variables over the app's env, which cannot forge them", () => {
    expect(taskEnv(base)).toEqual({
      LOG_LEVEL: "debug",
      PORT0: "31001",
      PORT1: "31002",
      PORT2: "31003",
      PORT: "31001",
      PORT_HTTP: "31001",
      PORT_ADMIN_UI_V2: "31002",
      PORTS: "31001,31002,31003",
      HOST: "127.0.0.1",
      MESOS_TASK_ID: "prod_web.1a2b",
      FLOTILLA_TASK_ID: "prod_web.1a2b",
      MARATHON_APP_ID: "/prod/web",
    });
    expect(taskEnv({ ...base, ports: [], host: "10.0.0.5" })).toMatchObject({ PORTS: "", HOST: "10.0.0.5" });
  });

  it("keeps user labels but not forged io.flotilla.* ones", () => {
    expect(taskLabels(base, "agent-7")).toEqual({
      team: "web",
      "io.flotilla.task-id": "prod_web.1a2b",
      "io.flotilla.app-id": "/prod/web",
      "io.flotilla.kind": "service",
      "io.flotilla.agent-id": "agent-7",
      "io.flotilla.kill-grace-ms": "5000",
    });
  });

  it("rejects task ids that could escape a directory, cmd with args, and impossible ports", () => {
    expect(() => validateSpec(base)).not.toThrow();
    for (const taskId of ["", "../x", "a/b", ".hidden", "x".repeat(201)]) {
      expect(() => validateSpec({ ...base, taskId })).toThrow(/task id/);
    }
    expect(() => validateSpec({ ...base, cmd: "a", args: ["b"] })).toThrow(/either cmd or args/);
    expect(() => validateSpec({ ...base, ports: [{ port: 0 }] })).toThrow(/host port 0/);
  });
});

/** What `--wait` prints about a deployment, and when it counts a report as about the change. */
import { describe, expect, it } from "vitest";
import { appLine, pendingSummary, reportedSince, waitingReason } from "../../cli/wait/progress.js";
import type { InstallStatus } from "../../gateway/contract/installs.js";

type App = InstallStatus["apps"][number];

const app = (over: Partial<App> = {}): App => ({
  id: "/web",
  instances: { desired: 2, staged: 0, running: 0, healthy: 0 },
  converged: false,
  deployment: null,
  tasks: [],
  ...over,
});

const task = (updatedAt: string) => ({
  taskId: "web.1",
  state: "RUNNING",
  healthy: true,
  agentId: "ag_1",
  node: "n1",
  ports: [],
  version: null,
  message: null,
  updatedAt,
});

describe("progress lines", () => {
  it("shows healthy of desired, the step, and the agent's own waiting reason", () => {
    const line = appLine(
      app({
        instances: { desired: 3, staged: 1, running: 2, healthy: 1 },
        deployment: {
          waitingReason: "no node has 2048 MB free",
          step: "scaling",
          reportedAt: "2026-01-01T00:00:00Z",
        },
      }),
      "-",
    );
    expect(line).toBe(
      "/web: 1/3 healthy (2 running, 1 staging) · step: scaling · waiting: no node has 2048 MB free",
    );
  });

  it("explains a silence, missing instances, failing health checks, and says nothing once converged", () => {
    expect(waitingReason(app(), "no healthy agent")).toBe("no healthy agent");
    expect(
      waitingReason(
        app({
          tasks: [task("2026-01-01T00:00:00Z")],
          instances: { desired: 2, staged: 0, running: 1, healthy: 1 },
        }),
        "-",
      ),
    ).toBe("1 of 2 instances not running yet");
    expect(
      waitingReason(
        app({
          tasks: [task("2026-01-01T00:00:00Z")],
          instances: { desired: 2, staged: 0, running: 2, healthy: 1 },
        }),
        "-",
      ),
    ).toBe("1 of 2 instances not passing health checks yet");
    const done = app({ converged: true, instances: { desired: 2, staged: 0, running: 2, healthy: 2 } });
    expect(waitingReason(done, "-")).toBeNull();
    expect(appLine(done, "-")).toBe("/web: 2/2 healthy · converged");
  });

  it("summarises only what has not converged", () => {
    const status: InstallStatus = {
      appId: "/shop",
      package: "shop",
      version: "1",
      revision: 1,
      converged: false,
      apps: [app({ id: "/shop/a", converged: true }), app({ id: "/shop/b" })],
      jobs: [],
    };
    expect(pendingSummary(status, "no agent")).toBe("/shop/b: 0/2 healthy · waiting: no agent");
  });
});

describe("reportedSince", () => {
  const status = (apps: App[]): InstallStatus => ({
    appId: "/web",
    package: "web",
    version: "1",
    revision: 2,
    converged: true,
    apps,
    jobs: [],
  });

  it("counts a task or deployment report at or after the change, not one from before it", () => {
    const change = "2026-01-01T00:00:10.000Z";
    expect(reportedSince(status([app({ tasks: [task("2026-01-01T00:00:09.999Z")] })]), change)).toBe(false);
    expect(reportedSince(status([app({ tasks: [task("2026-01-01T00:00:10.000Z")] })]), change)).toBe(true);
    expect(
      reportedSince(
        status([
          app({ deployment: { waitingReason: null, step: null, reportedAt: "2026-01-01T00:00:11Z" } }),
        ]),
        change,
      ),
    ).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import {
  launchDelayMs,
  planDeployments,
  resolveDependency,
  updateBackoff,
  upgradeBounds,
} from "../../../agent/scheduler/index.js";
import { app, desired, NOW, task } from "./fixtures.js";
import { Cluster, runningTasks } from "./simulate.js";

const healthChecks = [{ protocol: "HTTP", path: "/health" }];

describe("upgrade bounds", () => {
  it("are ceil(instances × minimumHealthCapacity) and floor(instances × (1 + maximumOverCapacity))", () => {
    const strategy = (m: number, o: number) => ({ minimumHealthCapacity: m, maximumOverCapacity: o });
    expect(upgradeBounds(app({ instances: 10, upgradeStrategy: strategy(0.7, 0.15) }))).toEqual({
      minHealthy: 7,
      maxCapacity: 11,
    });
    expect(upgradeBounds(app({ instances: 3 }))).toEqual({ minHealthy: 3, maxCapacity: 6 });
    expect(upgradeBounds(app({ instances: 5, upgradeStrategy: strategy(0.5, 0) }))).toEqual({
      minHealthy: 3,
      maxCapacity: 5,
    });
  });
});

describe("a rolling upgrade", () => {
  it("with the defaults starts all new instances, then kills one old per new healthy one", () => {
    const a = app({ id: "/web", instances: 3, healthChecks });
    const cluster = new Cluster(runningTasks("/web", "v1", 3, NOW));
    const step = () => {
      const plan = planDeployments({ apps: [desired(a, "v2")], tasks: cluster.tasks, now: NOW });
      cluster.apply(plan, NOW);
      return plan;
    };
    let plan = step();
    expect(plan.launches.map((l) => l.count)).toEqual([3]);
    expect(plan.kills).toEqual([]);
    expect(plan.deployments[0]).toMatchObject({
      phase: "upgrading",
      minHealthy: 3,
      maxCapacity: 6,
      oldTasks: 3,
    });
    cluster.healthy("t1");
    plan = step();
    expect(plan.kills.map((k) => k.taskId)).toEqual(["v1-2"]);
    expect(plan.kills[0]!.reason).toBe("replaced by version v2");
    cluster.reap();
    cluster.healthy("t2");
    cluster.healthy("t3");
    plan = step();
    expect(plan.kills.map((k) => k.taskId).sort()).toEqual(["v1-0", "v1-1"]);
    cluster.reap();
    plan = step();
    expect(plan.deployments[0]).toMatchObject({ phase: "steady", healthy: 3, oldTasks: 0 });
  });

  it("with minimumHealthCapacity 0.5 and maximumOverCapacity 0 kills down to minHealthy first", () => {
    const a = app({
      id: "/web",
      instances: 4,
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 0 },
    });
    const cluster = new Cluster(runningTasks("/web", "v1", 4, NOW));
    const plan = planDeployments({ apps: [desired(a, "v2")], tasks: cluster.tasks, now: NOW });
    expect(plan.kills).toHaveLength(2);
    expect(plan.launches).toEqual([]);
    cluster.apply(plan, NOW);
    cluster.reap();
    const next = planDeployments({ apps: [desired(a, "v2")], tasks: cluster.tasks, now: NOW });
    expect(next.launches.map((l) => l.count)).toEqual([2]);
    expect(next.kills).toEqual([]);
  });

  it("kills old instances that are not healthy at once", () => {
    const a = app({ id: "/web", instances: 2, healthChecks });
    const tasks = [...runningTasks("/web", "v1", 1, NOW), task("sick", "/web", "n", { healthy: undefined })];
    const plan = planDeployments({ apps: [desired(a, "v2")], tasks, now: NOW });
    expect(plan.kills.map((k) => k.taskId)).toEqual(["sick"]);
  });

  it("replaces one instance at a time when the strategy leaves no room, rather than overshoot capacity", () => {
    const a = app({
      id: "/single",
      instances: 1,
      upgradeStrategy: { minimumHealthCapacity: 1, maximumOverCapacity: 0 },
    });
    const plan = planDeployments({
      apps: [desired(a, "v2")],
      tasks: runningTasks("/single", "v1", 1, NOW),
      now: NOW,
    });
    expect(plan.kills.map((k) => k.reason)).toEqual([
      "replaced by version v2 (upgradeStrategy leaves no room: one at a time)",
    ]);
    expect(plan.launches).toEqual([]);
    expect(plan.deployments[0]!.noRoom).toBe(true);
  });
});

describe("scaling", () => {
  const old = (n: number) => runningTasks("/web", "v1", n, NOW);

  it("only launches the missing instances when only instances changed", () => {
    const plan = planDeployments({ apps: [desired(app({ instances: 5 }))], tasks: old(3), now: NOW });
    expect(plan.launches.map((l) => [l.app.id, l.version, l.count])).toEqual([["/web", "v1", 2]]);
    expect(plan.kills).toEqual([]);
    expect(plan.deployments[0]!.phase).toBe("scaling");
  });

  it("kills the youngest instances first by default, the oldest with OLDEST_FIRST", () => {
    const young = planDeployments({ apps: [desired(app({ instances: 2 }))], tasks: old(4), now: NOW });
    expect(young.kills.map((k) => k.taskId)).toEqual(["v1-3", "v1-2"]);
    expect(young.kills[0]!.reason).toBe("scale down to 2 instances (YOUNGEST_FIRST)");
    const oldest = planDeployments({
      apps: [desired(app({ instances: 2, killSelection: "OLDEST_FIRST" }))],
      tasks: old(4),
      now: NOW,
    });
    expect(oldest.kills.map((k) => k.taskId)).toEqual(["v1-0", "v1-1"]);
  });

  it("kills instances that are not running yet before healthy ones", () => {
    const tasks = [
      ...old(2),
      task("staging", "/web", "n", { state: "STAGING", startedAt: NOW - 10 * 60_000 }),
    ];
    const plan = planDeployments({ apps: [desired(app({ instances: 2 }))], tasks, now: NOW });
    expect(plan.kills.map((k) => k.taskId)).toEqual(["staging"]);
  });

  it("replaces an unreachable instance, and kills the extra copy when it comes back", () => {
    const lost = [...old(1), task("gone", "/web", "n", { state: "UNREACHABLE" })];
    expect(
      planDeployments({ apps: [desired(app({ instances: 2 }))], tasks: lost, now: NOW }).launches[0]!.count,
    ).toBe(1);
    const back = [...old(2), task("gone", "/web", "n", { startedAt: NOW - 3_600_000 })];
    const plan = planDeployments({ apps: [desired(app({ instances: 2 }))], tasks: back, now: NOW });
    expect(plan.kills).toHaveLength(1);
  });

  it("kills every task of an app that left the desired state", () => {
    const plan = planDeployments({ apps: [], tasks: old(2), now: NOW });
    expect(plan.kills.map((k) => k.reason)).toEqual([
      "app /web is no longer in the desired state",
      "app /web is no longer in the desired state",
    ]);
  });
});

describe("health kills", () => {
  it("kill tasks that failed their checks, a limited number at a time", () => {
    const a = app({ instances: 5, healthChecks });
    const tasks = [
      ...runningTasks("/web", "v1", 2, NOW),
      ...["s1", "s2", "s3"].map((id) => task(id, "/web", "n", { healthy: false })),
    ];
    const plan = planDeployments({ apps: [desired(a)], tasks, now: NOW });
    expect(plan.kills).toHaveLength(1);
    expect(plan.launches[0]!.count).toBe(1);
    const killing = tasks.map((t) => (t.id === "s1" ? { ...t, state: "KILLING" as const } : t));
    expect(planDeployments({ apps: [desired(a)], tasks: killing, now: NOW }).kills).toEqual([]);
  });

  it("never kill for health when maxConsecutiveFailures is 0", () => {
    const a = app({ instances: 1, healthChecks: [{ protocol: "TCP", maxConsecutiveFailures: 0 }] });
    const plan = planDeployments({
      apps: [desired(a)],
      tasks: [task("s", "/web", "n", { healthy: false })],
      now: NOW,
    });
    expect(plan.kills).toEqual([]);
  });
});

describe("restart backoff", () => {
  const a = app({ id: "/crashy", backoffSeconds: 1, backoffFactor: 2, maxLaunchDelaySeconds: 5 });

  it("multiplies the delay by backoffFactor for each failure, up to maxLaunchDelaySeconds", () => {
    expect([1, 2, 3, 4, 10].map((f) => launchDelayMs(a, f))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it("counts a failed task once however often it is reported, and resets on a new version", () => {
    const failed = task("f1", "/crashy", "n", { state: "FAILED", endedAt: NOW });
    const once = updateBackoff(a, "v1", undefined, [failed]);
    expect(once.failures).toBe(1);
    expect(updateBackoff(a, "v1", once, [failed]).failures).toBe(1);
    expect(
      updateBackoff(a, "v1", once, [
        failed,
        task("f2", "/crashy", "n", { state: "FINISHED", endedAt: NOW + 1 }),
      ]).failures,
    ).toBe(2);
    expect(updateBackoff(a, "v2", once, [failed]).failures).toBe(0);
  });

  it("holds launches until the delay has passed", () => {
    const tasks = [
      task("f1", "/crashy", "n", { state: "FAILED", endedAt: NOW }),
      task("f2", "/crashy", "n", { state: "FAILED", endedAt: NOW + 10 }),
    ];
    const during = planDeployments({ apps: [desired(a)], tasks, now: NOW + 1_500 });
    expect(during.launches).toEqual([]);
    expect(during.held[0]!.holds).toEqual([{ kind: "backoff", until: NOW + 2_010, failures: 2 }]);
    const after = planDeployments({ apps: [desired(a)], tasks, now: NOW + 2_010, backoff: during.backoff });
    expect(after.launches[0]!.count).toBe(1);
  });
});

describe("dependencies", () => {
  it("resolve Marathon paths relative to the app's group", () => {
    expect(resolveDependency("/prod/web", "db")).toBe("/prod/db");
    expect(resolveDependency("/prod/web", "../shared/cache")).toBe("/shared/cache");
    expect(resolveDependency("/prod/web", "/infra/dns")).toBe("/infra/dns");
  });

  it("hold an app's launches until each dependency has minHealthy healthy tasks", () => {
    const db = app({
      id: "/prod/db",
      instances: 2,
      upgradeStrategy: { minimumHealthCapacity: 0.5, maximumOverCapacity: 1 },
    });
    const web = app({ id: "/prod/web", dependencies: ["db"] });
    const apps = [desired(web), desired(db)];
    const first = planDeployments({ apps, tasks: [], now: NOW });
    expect(first.launches.map((l) => l.app.id)).toEqual(["/prod/db"]);
    expect(first.held[0]!.holds).toEqual([
      { kind: "dependency", on: "/prod/db", healthy: 0, needed: 1, known: true },
    ]);
    const dbUp = runningTasks("/prod/db", "v1", 1, NOW);
    const second = planDeployments({ apps, tasks: dbUp, now: NOW });
    expect(second.launches.map((l) => [l.app.id, l.depth])).toEqual([
      ["/prod/db", 0],
      ["/prod/web", 1],
    ]);
  });

  it("hold dependents of unknown apps and of cycles, saying so", () => {
    const a = app({ id: "/a", dependencies: ["/b"] });
    const b = app({ id: "/b", dependencies: ["/a"] });
    const c = app({ id: "/c", dependencies: ["/missing"] });
    const plan = planDeployments({ apps: [desired(a), desired(b), desired(c)], tasks: [], now: NOW });
    expect(plan.launches).toEqual([]);
    expect(Object.fromEntries(plan.held.map((h) => [h.app.id, h.holds[0]!.kind]))).toEqual({
      "/a": "cycle",
      "/b": "cycle",
      "/c": "dependency",
    });
  });

  it("never kill running instances because a dependency became unready", () => {
    const db = app({ id: "/db" });
    const web = app({ id: "/web", instances: 2, dependencies: ["/db"] });
    const plan = planDeployments({
      apps: [desired(db), desired(web)],
      tasks: runningTasks("/web", "v1", 2, NOW),
      now: NOW,
    });
    expect(plan.kills).toEqual([]);
  });
});

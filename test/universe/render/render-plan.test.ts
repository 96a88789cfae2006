import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { base64ToText } from "../../../universe/encoding.js";
import { UniverseError } from "../../../universe/errors.js";
import { toIndexEntry } from "../../../universe/import/index-entry.js";
import { parseRevisionFiles } from "../../../universe/import/revision.js";
import type { PackageDefinition, PackageTemplates } from "../../../universe/models/index.js";
import { type RenderInput, renderInstallPlan } from "../../../universe/render/index.js";
import { SAMPLE_REPO } from "../../helpers/sample.js";

const PACKAGES = join(SAMPLE_REPO, "packages");

function readRevision(path: string): PackageDefinition {
  const dir = join(PACKAGES, path);
  const files = new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), "utf8")]));
  return parseRevisionFiles(files, { releaseVersion: Number(path.split("/").at(-1)), path });
}

/** The time-server revision built by hand from its files, as the brief describes. */
function timeServer(): PackageDefinition {
  const dir = join(PACKAGES, "T/time-server/0");
  const json = (f: string) => JSON.parse(readFileSync(join(dir, f), "utf8"));
  return {
    metadata: json("package.json"),
    releaseVersion: 0,
    format: "universe",
    config: json("config.json"),
    resource: json("resource.json"),
    templates: { marathon: readFileSync(join(dir, "marathon.json.mustache"), "utf8") },
    warnings: [],
  };
}

/** A Flotilla package with the given templates and a permissive config. */
function flotilla(templates: PackageTemplates, config?: Record<string, unknown>): PackageDefinition {
  const def: PackageDefinition = {
    metadata: {
      packagingVersion: "flotilla/1",
      name: "shop",
      version: "2.1.0",
      maintainer: "m",
      description: "d",
      tags: [],
    },
    releaseVersion: 3,
    format: "flotilla",
    templates,
    warnings: [],
  };
  if (config) def.config = config;
  return def;
}

const decode = (b64: string | undefined) => JSON.parse(base64ToText(b64 ?? ""));

function failure(def: PackageDefinition, input: RenderInput = {}): UniverseError {
  try {
    renderInstallPlan(def, input);
  } catch (e) {
    if (e instanceof UniverseError) return e;
    throw e;
  }
  throw new Error("expected a UniverseError");
}

describe("rendering an install plan", () => {
  it("renders the real time-server revision with no options exactly as Cosmos did", () => {
    const { plan, options } = renderInstallPlan(timeServer());
    expect(plan.package).toEqual({ name: "time-server", version: "1.0.0", releaseVersion: 0 });
    expect(plan.apps).toHaveLength(1);
    expect(plan.jobs).toEqual([]);
    const app = plan.apps[0]!;
    expect(app.id).toBe("time-server");
    expect(app.cpus).toBe(0.1);
    expect(app.mem).toBe(256);
    expect(app.container?.docker?.image).toBe("docker-user-name/time-server:part1");
    expect(app.labels).toMatchObject({
      DCOS_SERVICE_NAME: "time-server",
      DCOS_SERVICE_PORT_INDEX: "0",
      DCOS_SERVICE_SCHEME: "http",
      DCOS_PACKAGE_NAME: "time-server",
      DCOS_PACKAGE_VERSION: "1.0.0",
      DCOS_PACKAGE_OPTIONS: "e30=",
    });
    expect(app.labels).not.toHaveProperty("DCOS_PACKAGE_SOURCE");
    expect(options).toEqual({
      user: {},
      resolved: { service: { name: "time-server", cpus: 0.1, mem: 256 } },
    });
  });

  it("renders the time-server revision the same whether built by hand or parsed by the importer", () => {
    expect(renderInstallPlan(readRevision("T/time-server/0"))).toEqual(renderInstallPlan(timeServer()));
  });

  it("labels the app with the package definition in its Universe index form", () => {
    const def = timeServer();
    const { plan } = renderInstallPlan(def, { source: "https://universe.example/repo" });
    const labels = plan.apps[0]!.labels;
    expect(decode(labels.DCOS_PACKAGE_DEFINITION)).toEqual(toIndexEntry(def));
    expect(labels.DCOS_PACKAGE_SOURCE).toBe("https://universe.example/repo");
  });

  it("renders every sample revision that has a template, with default options, to a valid plan", () => {
    const revisions = readdirSync(PACKAGES).flatMap((letter) =>
      readdirSync(join(PACKAGES, letter)).flatMap((name) =>
        readdirSync(join(PACKAGES, letter, name)).map((rev) => `${letter}/${name}/${rev}`),
      ),
    );
    expect(revisions).toHaveLength(9);
    for (const path of revisions) {
      const def = readRevision(path);
      if (!def.templates.marathon) continue;
      const { plan } = renderInstallPlan(def);
      expect(plan.apps, path).toHaveLength(1);
      expect(plan.apps[0]!.labels.DCOS_PACKAGE_NAME, path).toBe(def.metadata.name);
      expect(plan.apps[0]!.labels.DCOS_PACKAGE_VERSION, path).toBe(def.metadata.version);
    }
  });

  it("renders hello-world's array option, quoted placement and zero-valued section the way Cosmos did", () => {
    const { plan } = renderInstallPlan(readRevision("H/hello-world/700"), {
      options: { service: { constraints: [["hostname", "UNIQUE"]] } },
    });
    const app = plan.apps[0]!;
    expect(app.constraints).toEqual([["hostname", "UNIQUE"]]);
    expect(app.env.HELLO_PLACEMENT).toBe('[["hostname", "UNIQUE"]]');
    // kill_grace_period defaults to 0, which mustache.java (and so Cosmos) treated as true.
    expect(app.env.HELLO_KILL_GRACE_PERIOD).toBe("0");
    expect(app.env.ENABLE_BACKOFF).toBe("true");
  });

  it("puts the package labels over the template's own labels", () => {
    const def = flotilla({
      marathon:
        '{"id": "web", "cmd": "x", "labels": {"DCOS_PACKAGE_NAME": "evil", "DCOS_PACKAGE_OPTIONS": "e30=", "mine": "kept"}}',
    });
    const labels = renderInstallPlan(def).plan.apps[0]!.labels;
    expect(labels.DCOS_PACKAGE_NAME).toBe("shop");
    expect(labels.DCOS_PACKAGE_VERSION).toBe("2.1.0");
    expect(labels.mine).toBe("kept");
  });

  it("records only the user's options in DCOS_PACKAGE_OPTIONS, not the defaults", () => {
    const { plan } = renderInstallPlan(timeServer(), { options: { service: { cpus: 0.5 } } });
    expect(plan.apps[0]!.cpus).toBe(0.5);
    expect(decode(plan.apps[0]!.labels.DCOS_PACKAGE_OPTIONS)).toEqual({ service: { cpus: 0.5 } });
  });

  it("lets appId replace the rendered id last", () => {
    const { plan } = renderInstallPlan(timeServer(), {
      appId: "/team/clock",
      options: { service: { name: "other" } },
    });
    expect(plan.apps[0]!.id).toBe("/team/clock");
    expect(plan.apps[0]!.labels.DCOS_SERVICE_NAME).toBe("other");
  });

  it("does not let options replace what resource.json says", () => {
    const options = {
      resource: { assets: { container: { docker: { timeserverimage: "evil/image" } } }, extra: 1 },
    };
    const { plan } = renderInstallPlan(timeServer(), { options });
    expect(plan.apps[0]!.container?.docker?.image).toBe("docker-user-name/time-server:part1");
  });

  it("merges an option named resource with resource.json, as Cosmos did", () => {
    // A config.json may declare its own `resource` object (cpus, mem) next to resource.json.
    const def = flotilla(
      { marathon: '{"id": "store", "cpus": {{resource.cpus}}, "cmd": "{{resource.assets.uris.bin}}"}' },
      { type: "object", properties: { resource: { type: "object", properties: { cpus: { default: 2 } } } } },
    );
    def.resource = { assets: { uris: { bin: "https://example.com/store" } } };
    const { plan } = renderInstallPlan(def);
    expect(plan.apps[0]!.cpus).toBe(2);
    expect(plan.apps[0]!.cmd).toBe("https://example.com/store");
  });

  it("keeps quotes and newlines in option values inside their JSON strings", () => {
    const { plan } = renderInstallPlan(timeServer(), { options: { service: { name: 'say "hi"\nbye' } } });
    expect(plan.apps[0]!.labels.DCOS_SERVICE_NAME).toBe('say "hi"\nbye');
  });

  it("passes option failures through as OPTIONS_INVALID", () => {
    expect(failure(timeServer(), { options: { service: { cpus: 0.01 } } }).code).toBe("OPTIONS_INVALID");
  });

  it("flattens a group into apps with absolute ids, resolving relative ids and dependencies like Marathon", () => {
    const group = JSON.stringify({
      id: "/shop",
      apps: [
        { id: "web", cmd: "web", dependencies: ["backend/db"] },
        { id: "/abs/tool", cmd: "tool" },
      ],
      groups: [{ id: "backend", apps: [{ id: "db", cmd: "db", dependencies: ["../web"] }] }],
      enforceRole: true,
    });
    const { plan } = renderInstallPlan(flotilla({ group }));
    expect(plan.apps.map((a) => a.id)).toEqual(["/shop/web", "/abs/tool", "/shop/backend/db"]);
    expect(plan.apps[0]!.dependencies).toEqual(["/shop/backend/db"]);
    expect(plan.apps[2]!.dependencies).toEqual(["/shop/web"]);
    for (const app of plan.apps) expect(app.labels.DCOS_PACKAGE_NAME).toBe("shop");
    expect(plan.warnings).toContain('group.json.mustache: field "enforceRole" of the top group is ignored');
  });

  it("puts a group under the appId when one is given", () => {
    const group =
      '{"id": "shop", "apps": [{"id": "web", "cmd": "x"}], "groups": [{"id": "b", "apps": [{"id": "db", "cmd": "y"}]}]}';
    const { plan } = renderInstallPlan(flotilla({ group }), { appId: "/team/shop" });
    expect(plan.apps.map((a) => a.id)).toEqual(["/team/shop/web", "/team/shop/b/db"]);
  });

  it("renders a list of jobs with their pipeline and labels each job", () => {
    const jobs = JSON.stringify({
      jobs: [
        { id: "etl.extract", run: { cmd: "extract" } },
        { id: "etl.load", run: { cmd: "load" }, dependencies: [{ id: "etl.extract" }] },
      ],
    });
    const { plan } = renderInstallPlan(flotilla({ jobs }));
    expect(plan.jobs.map((j) => [j.id, j.dependencies])).toEqual([
      ["etl.extract", []],
      ["etl.load", ["etl.extract"]],
    ]);
    for (const job of plan.jobs) expect(job.labels.DCOS_PACKAGE_OPTIONS).toBe("e30=");
  });

  it("renders a jobs template holding a single job object", () => {
    const { plan } = renderInstallPlan(flotilla({ jobs: '{"id": "backup", "run": {"cmd": "tar c /data"}}' }));
    expect(plan.jobs.map((j) => j.id)).toEqual(["backup"]);
  });

  it("refuses a job pipeline with an unknown parent or a cycle", () => {
    const unknown = '{"jobs": [{"id": "a", "run": {"cmd": "x"}, "dependencies": ["nope"]}]}';
    expect(failure(flotilla({ jobs: unknown })).message).toBe("job a depends on unknown job nope");
    const cycle =
      '{"jobs": [{"id": "a", "run": {"cmd": "x"}, "dependencies": ["b"]}, {"id": "b", "run": {"cmd": "x"}, "dependencies": ["a"]}]}';
    const e = failure(flotilla({ jobs: cycle }));
    expect(e.code).toBe("INVALID_PLAN");
    expect(e.message).toMatch(/cycle/);
  });

  it("refuses two apps with the same id, even when one is written relative", () => {
    const def = flotilla({
      marathon: '{"id": "web", "cmd": "x"}',
      group: '{"id": "/", "apps": [{"id": "web", "cmd": "y"}]}',
    });
    const e = failure(def);
    expect(e.code).toBe("INVALID_PLAN");
    expect(e.message).toBe("app id /web is used twice in the plan");
  });

  it("refuses two jobs with the same id", () => {
    const jobs = '{"jobs": [{"id": "a", "run": {"cmd": "x"}}, {"id": "a", "run": {"cmd": "y"}}]}';
    expect(failure(flotilla({ jobs })).message).toBe("job id a is used twice in the plan");
  });

  it("refuses a template that renders to JSON that is not an object", () => {
    for (const [marathon, got] of [
      ["[1]", "an array"],
      ['"x"', "a string"],
      ["null", "null"],
    ]) {
      const e = failure(flotilla({ marathon }));
      expect(e.code).toBe("TEMPLATE_NOT_OBJECT");
      expect(e.message).toBe(`marathon.json.mustache did not render to a JSON object: got ${got}`);
    }
  });

  it("refuses a template that renders to broken JSON and shows where it broke", () => {
    const marathon = '{\n  "id": "web",\n  "cpus": {{cpus}}\n  "mem": 128\n}';
    const e = failure(flotilla({ marathon }, { properties: { cpus: { type: "number", default: 1 } } }));
    expect(e.code).toBe("TEMPLATE_NOT_OBJECT");
    expect(e.message).toMatch(/^marathon\.json\.mustache did not render to a JSON object: /);
    expect(e.message).toMatch(/\(rendered line 4, column 3, near: .*"cpus": 1 "mem"/);
    expect(e.details).toMatchObject({ file: "marathon.json.mustache", position: expect.any(Number) });
  });

  it("renders a package without any template to an empty plan with a warning", () => {
    const { plan } = renderInstallPlan(flotilla({}));
    expect(plan.apps).toEqual([]);
    expect(plan.jobs).toEqual([]);
    expect(plan.warnings).toEqual([
      "shop has no marathon, group or jobs template: the install runs nothing (CLI-only)",
    ]);
  });

  it("reports an app that Marathon would reject as INVALID_PLAN naming the template", () => {
    const e = failure(flotilla({ marathon: '{"id": "web", "cpus": -1, "cmd": "x"}' }));
    expect(e.code).toBe("INVALID_PLAN");
    expect(e.message).toMatch(/^marathon\.json\.mustache is not a valid app: \/cpus/);
  });

  it("gives a deep-equal plan for the same input every time", () => {
    const def = readRevision("H/hello-world/700");
    const input = { options: { service: { name: "hw", sleep: 5 } }, appId: "/a/hw", source: "s" };
    expect(renderInstallPlan(def, input)).toEqual(renderInstallPlan(def, input));
  });
});

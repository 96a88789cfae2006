/**
 * Secret references checked when a plan is rendered: an env value `{secret: name}` must name
 * an entry of the app's `secrets` (a job's `run.secrets`) whose source is a secret path, or
 * the install is refused naming the field — as Marathon refused it.
 */
import { describe, expect, it } from "vitest";
import { UniverseError } from "../../../universe/errors.js";
import type { PackageDefinition, PackageTemplates } from "../../../universe/models/index.js";
import { secretPathOf } from "../../../universe/models/secrets.js";
import { renderInstallPlan } from "../../../universe/render/index.js";

const def = (templates: PackageTemplates): PackageDefinition => ({
  metadata: {
    packagingVersion: "flotilla/1",
    name: "vault-user",
    version: "1.0.0",
    maintainer: "m",
    description: "d",
    tags: [],
  },
  releaseVersion: 0,
  format: "flotilla",
  templates,
  warnings: [],
});

function failure(templates: PackageTemplates): UniverseError {
  try {
    renderInstallPlan(def(templates));
  } catch (e) {
    if (e instanceof UniverseError) return e;
    throw e;
  }
  throw new Error("expected the render to fail");
}

const app = (extra: Record<string, unknown>) => JSON.stringify({ id: "/web", cmd: "env", ...extra });

describe("secret references in rendered plans", () => {
  it("accepts env values that name declared secrets, and keeps both in the plan", () => {
    const { plan } = renderInstallPlan(
      def({
        marathon: app({
          env: { DB: { secret: "db" }, PLAIN: "x" },
          secrets: { db: { source: "/db/password" } },
        }),
      }),
    );
    expect(plan.apps[0]?.env).toEqual({ DB: { secret: "db" }, PLAIN: "x" });
    expect(plan.apps[0]?.secrets).toEqual({ db: { source: "/db/password" } });
  });

  it("refuses an app env value naming an undeclared secret, naming the field", () => {
    const e = failure({ marathon: app({ env: { DB_PASSWORD: { secret: "db" } } }) });
    expect(e.code).toBe("INVALID_PLAN");
    expect(e.message).toMatch(
      /marathon\.json\.mustache \(\/web\): env\.DB_PASSWORD refers to secret "db", which secrets does not declare/,
    );
    expect(e.details).toEqual({ field: "env.DB_PASSWORD", secret: "db" });
  });

  it("refuses a job run env value naming an undeclared secret, under run.", () => {
    const job = JSON.stringify({
      id: "backup",
      run: { cmd: "tar c /data", env: { KEY: { secret: "s3" } }, secrets: { other: { source: "s3/key" } } },
    });
    expect(failure({ jobs: job }).details).toEqual({ field: "run.env.KEY", secret: "s3" });
  });

  it("refuses a declared source that is not a secret path", () => {
    const e = failure({ marathon: app({ secrets: { db: { source: "../etc/passwd" } } }) });
    expect(e.details).toEqual({ field: "secrets.db.source" });
  });

  it("reads sources with or without DC/OS's leading slash as the same path", () => {
    expect(secretPathOf("/db/password")).toBe("db/password");
    expect(secretPathOf("db/password")).toBe("db/password");
    for (const bad of ["", "/", "a//b", "a/", ".x", "a/../b", "a b", "x".repeat(257)])
      expect(secretPathOf(bad)).toBeUndefined();
  });
});

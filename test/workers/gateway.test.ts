// The shared gateway suites inside workerd, against D1 with the same migration files applied
// the way `wrangler d1 migrations apply` applies them.
import { applyD1Migrations, env } from "cloudflare:test";
import { drizzle } from "drizzle-orm/d1";
import { beforeAll } from "vitest";
import * as schema from "../../gateway/db/schema.js";
import type { Db } from "../../gateway/deps.js";
import { makeHarness } from "../gateway/harness.js";
import { registerSuites } from "../gateway/suites/index.js";

let db: Db;
beforeAll(async () => {
  await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
  db = drizzle(env.DB as never, { schema }) as unknown as Db;
});

registerSuites(async (overrides) => makeHarness({ db, runtime: "workers", ...overrides }));

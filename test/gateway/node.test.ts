// The shared gateway suites on Node, against a real libSQL file database with the migrations
// applied by drizzle's migrator (as `npm start` does).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import { createRevisionNotifier } from "../../gateway/lib/revision-notifier.js";
import { type OpenedDatabase, openDatabase } from "../../gateway/runtime/node/database.js";
import { makeHarness } from "./harness.js";
import { registerSuites } from "./suites/index.js";

let dir: string;
let database: OpenedDatabase;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "flotilla-gateway-"));
  database = await openDatabase(`file:${join(dir, "gateway.db")}`);
});
afterAll(async () => {
  database.close();
  await rm(dir, { recursive: true, force: true });
});

registerSuites(async (overrides) =>
  makeHarness({ db: database.db, runtime: "node", notifier: createRevisionNotifier(), ...overrides }),
);

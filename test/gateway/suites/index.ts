/** Every shared gateway suite; node.test.ts and test/workers/gateway.test.ts run them all. */
import type { Harness, HarnessOptions } from "../harness.js";
import { agentSuites } from "./agent-suites.suite.js";
import { catalogSuite } from "./catalog.suite.js";
import { clustersSuite } from "./clusters.suite.js";
import { cosmosSuite } from "./cosmos.suite.js";
import { installsSuite } from "./installs.suite.js";
import { operationsSuite } from "./operations.suite.js";
import { secretsSuite } from "./secrets.suite.js";

/** Builds a harness; a suite may override its configuration (e.g. a small body limit). */
export type MakeHarness = (overrides?: Pick<HarnessOptions, "config" | "secretsKey">) => Promise<Harness>;

export function registerSuites(make: MakeHarness): void {
  clustersSuite(make);
  agentSuites(make);
  installsSuite(make);
  catalogSuite(make);
  operationsSuite(make);
  cosmosSuite(make);
  secretsSuite(make);
}

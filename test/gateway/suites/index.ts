/** Every shared gateway suite; node.test.ts and test/workers/gateway.test.ts run them all. */
import type { Harness } from "../harness.js";
import { clustersSuite } from "./clusters.suite.js";

export function registerSuites(make: () => Promise<Harness>): void {
  clustersSuite(make);
}

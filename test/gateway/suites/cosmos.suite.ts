/**
 * The Cosmos API of each cluster, for old DC/OS clients, on Node and in workerd. Each part is in
 * its own cosmos-*.suite.ts file; every describe name starts with "cosmos" so that
 * `vitest -t cosmos` runs them all.
 */
import { cosmosErrorsSuite } from "./cosmos-errors.suite.js";
import { cosmosInstallsSuite } from "./cosmos-installs.suite.js";
import { cosmosPackagesSuite } from "./cosmos-packages.suite.js";
import { cosmosRepositoriesSuite } from "./cosmos-repositories.suite.js";
import type { MakeHarness } from "./index.js";

export function cosmosSuite(make: MakeHarness): void {
  cosmosPackagesSuite(make);
  cosmosInstallsSuite(make);
  cosmosErrorsSuite(make);
  cosmosRepositoriesSuite(make);
}

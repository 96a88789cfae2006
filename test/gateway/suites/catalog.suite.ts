/**
 * The catalog API (repositories, packages, bundles), on Node and in workerd. Each part is in
 * its own catalog-*.suite.ts file; every describe name starts with "catalog" so that
 * `vitest -t catalog` runs them all.
 */
import { catalogAuthSuite } from "./catalog-auth.suite.js";
import { catalogPackagesSuite } from "./catalog-packages.suite.js";
import { catalogPublishSuite } from "./catalog-publish.suite.js";
import { catalogRepositoriesSuite } from "./catalog-repositories.suite.js";
import { catalogRepositoryOrderSuite } from "./catalog-repository-order.suite.js";
import { catalogSourcesSuite } from "./catalog-sources.suite.js";
import type { MakeHarness } from "./index.js";

export function catalogSuite(make: MakeHarness): void {
  catalogRepositoriesSuite(make);
  catalogRepositoryOrderSuite(make);
  catalogPackagesSuite(make);
  catalogPublishSuite(make);
  catalogAuthSuite(make);
  catalogSourcesSuite();
}

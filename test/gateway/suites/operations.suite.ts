/** Operator actions on running work: jobs (run now, views) and services (scale, restart). */
import type { Harness } from "../harness.js";
import { operationsJobsSuite } from "./operations-jobs.suite.js";
import { operationsServicesSuite } from "./operations-services.suite.js";

export function operationsSuite(make: () => Promise<Harness>): void {
  operationsJobsSuite(make);
  operationsServicesSuite(make);
}

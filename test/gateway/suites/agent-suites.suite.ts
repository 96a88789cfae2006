/** The agent-API and API-token suites, registered by suites/index.ts with one call. */
import type { Harness } from "../harness.js";
import { agentAccessSuite } from "./agent-access.suite.js";
import { agentDesiredStateSuite } from "./agent-desired-state.suite.js";
import { agentLeaseSuite } from "./agent-lease.suite.js";
import { agentObservedSuite } from "./agent-observed.suite.js";
import { agentRegisterSuite } from "./agent-register.suite.js";
import { agentStatusSuite } from "./agent-status.suite.js";
import { tokensSuite } from "./tokens.suite.js";

export function agentSuites(make: () => Promise<Harness>): void {
  agentRegisterSuite(make);
  agentAccessSuite(make);
  agentDesiredStateSuite(make);
  agentStatusSuite(make);
  agentLeaseSuite(make);
  agentObservedSuite(make);
  tokensSuite(make);
}

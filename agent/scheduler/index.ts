/**
 * The offer-based scheduler of the agent: a pure library (no I/O, no timers, no clock, no
 * unseeded randomness). `schedule` is the one call the daemon makes per cycle; the parts are
 * exported for tests, tools and plug-in frameworks.
 */
export { type AllocatedLaunch, type AllocateOptions, type AllocationResult, allocate } from "./allocator.js";
export {
  appPortDemand,
  appResources,
  appStrategy,
  appVersionId,
  PLACEMENT_LABEL,
  portEnvironment,
} from "./app-demand.js";
export {
  type AppPlan,
  type DeploymentStatus,
  killOrder,
  planApp,
  type TaskKill,
  upgradeBounds,
} from "./app-plan.js";
export { type BackoffRecord, backoffUntil, launchDelayMs, updateBackoff } from "./backoff.js";
export {
  type CompiledConstraints,
  type Constraint,
  compileConstraints,
  describeConstraint,
  fromJobConstraints,
  valuesEqual,
} from "./constraints.js";
export { dependencyOrder, type Readiness, readiness, resolveDependency } from "./dependencies.js";
export { SchedulerError, type SchedulerErrorCode } from "./errors.js";
export {
  explanationMessage,
  type NodeReason,
  type NodeSummary,
  type PendingExplanation,
  summarizeNodes,
} from "./explain.js";
export type { AllocationContext, Decision, Framework } from "./framework.js";
export { GroupFramework } from "./group-framework.js";
export { isExpired, type JobRunRequest, JobsFramework, type RunLaunch } from "./jobs.js";
export { Inventory, type InventoryView, type NodeRecord, type NodeSpec } from "./nodes.js";
export {
  type AcceptResult,
  DEFAULT_REFUSE_SECONDS,
  type Offer,
  OfferBook,
  type TaskLaunch,
} from "./offers.js";
export { packFree } from "./pack-free.js";
export { isFreeGroup, placeGroup } from "./placement.js";
export {
  countedLimit,
  groupByAllowed,
  InstanceCounts,
  judgeNode,
  type PlacementGroup,
  type PlacementStrategy,
  type PortDemand,
  type Verdict,
} from "./placement-group.js";
export {
  type AppHold,
  type AppLaunchRequest,
  type DeploymentPlan,
  type DesiredApp,
  type HeldApp,
  type PlanInput,
  planDeployments,
} from "./planner.js";
export { type PortRange, PortSet, parseRanges } from "./port-set.js";
export { type RefusalFilterRecord, RefusalFilters } from "./refusal-filters.js";
export {
  dominantShare,
  fits,
  formatAmount,
  type ResourceAmounts,
  type Resources,
  SCALARS,
  type ScalarName,
  toAmounts,
  toFixed,
} from "./resources.js";
export { createRng, type Rng, shuffle } from "./rng.js";
export { type PlanSink, RoundState } from "./round-state.js";
export {
  type Launch,
  type ScheduleInput,
  type ScheduleResult,
  type SchedulerMemory,
  schedule,
} from "./schedule.js";
export {
  type ServiceGroup,
  type ServiceLaunch,
  ServicesFramework,
  serviceGroup,
  taskName,
} from "./services.js";
export {
  countsForConstraints,
  holdsResources,
  isActive,
  isFailure,
  isHealthy,
  type ObservedTask,
  type TaskState,
} from "./tasks.js";

/** Version strings, version selection and upgrade rules: the public surface of `universe/versions`. */

export {
  availableVersions,
  cosmosDefaultVersion,
  type SelectVersionOptions,
  selectVersion,
  summarizeVersions,
  type VersionCandidate,
} from "./select.js";
export {
  assertVersionChange,
  checkVersionChange,
  downgradesTo,
  upgradesTo,
  type VersionChangeCheck,
  type VersionChangeSide,
} from "./upgrades.js";
export {
  compareVersions,
  compareVersionViews,
  isPrerelease,
  isValidRange,
  type RangeOptions,
  type VersionView,
  versionSatisfies,
  versionView,
} from "./version.js";

// Prints the closing line CI reads, "N passed, N failed", from vitest's JSON report, and
// exits non-zero when any test or CI step failed. Steps that failed outside the test run
// (typecheck, lint, build) count as failures too, so a red step can never print "0 failed".
import { existsSync, readFileSync } from "node:fs";

const [file, failedStepsArg = "0", testRcArg = "0"] = process.argv.slice(2);
const failedSteps = Number(failedStepsArg);
const testRc = Number(testRcArg);
let passed = 0;
let failed = 0;
let skipped = 0;
if (file && existsSync(file)) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load has no test results of its own; count it as a failure.
  failed += (report.testResults ?? []).filter(
    (s) => s.status === "failed" && s.assertionResults?.length === 0,
  ).length;
} else {
  console.log("no test report was written (the test run did not complete)");
  failed += 1;
}
const stepFailures = Math.max(0, failedSteps - (testRc !== 0 ? 1 : 0));
failed += stepFailures;
if (testRc !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);

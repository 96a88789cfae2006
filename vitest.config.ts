// One vitest config, three projects:
// - "node": unit, property and HTTP-suite tests on Node, files in parallel;
// - "workers": the files under test/workers/ inside workerd (Miniflare), with D1;
// - "integration": whole-system tests (real gateway, agents as processes, Docker, the npm start
//   launcher). They start servers, processes and containers and watch timings, so they run
//   after the other two, one file at a time, rather than fight them for this machine's 2 cores.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

const INTEGRATION = [
  "test/agent/integration/**/*.test.ts",
  "test/agent/faults/**/*.test.ts",
  "test/agent/docker/**/*.test.ts",
  "test/e2e/**/*.test.ts",
];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/workers/**", "node_modules/**", ...INTEGRATION],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            miniflare: {
              compatibilityDate: "2026-05-03",
              compatibilityFlags: ["nodejs_compat"],
              d1Databases: ["DB"],
              // The gateway's migrations, applied in the tests with applyD1Migrations().
              bindings: { TEST_MIGRATIONS: await readD1Migrations("gateway/db/migrations") },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["test/workers/**/*.test.ts"],
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "integration",
          include: INTEGRATION,
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});

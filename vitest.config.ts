// One vitest config, two projects: "node" runs everything on Node; "workers" runs the
// files under test/workers/ inside workerd (Miniflare) to prove the portable code runs there.
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/workers/**", "node_modules/**"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
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
        },
      },
    ],
  },
});

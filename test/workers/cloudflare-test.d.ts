// The parts of "cloudflare:test" (provided by @cloudflare/vitest-pool-workers inside workerd)
// that our Workers-runtime tests use. Declared here because the package's own typings pull in
// every Workers type, which clashes with the Node types of the rest of the project.
declare module "cloudflare:test" {
  export const env: { DB: unknown; TEST_MIGRATIONS: unknown[] };
  export function applyD1Migrations(
    db: unknown,
    migrations: unknown[],
    migrationsTableName?: string,
  ): Promise<void>;
}

// drizzle-kit: one schema, one flat migrations folder that both drizzle's migrate() (Node,
// libSQL) and `wrangler d1 migrations apply` (D1) read.
import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "sqlite",
  schema: "./gateway/db/schema.ts",
  out: "./gateway/db/migrations",
});

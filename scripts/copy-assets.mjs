// After tsc: copy what the built code reads at run time but tsc does not emit (SQL migrations).
import { cpSync } from "node:fs";

cpSync("gateway/db/migrations", "dist/gateway/db/migrations", { recursive: true });

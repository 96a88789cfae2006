/**
 * The Node database: an embedded libSQL file by default (or a remote libSQL URL), with foreign
 * keys on and WAL for concurrent readers, and drizzle's migrator applying the same migration
 * files that `wrangler d1 migrations apply` applies on Workers.
 */
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "../../db/schema.js";
import type { Db } from "../../deps.js";

/** The migrations folder beside this module (the build copies it into dist/ too). */
export const migrationsFolder = (): string =>
  resolve(dirname(fileURLToPath(import.meta.url)), "../../db/migrations");

export interface OpenedDatabase {
  db: Db;
  client: Client;
  close(): void;
}

export async function openDatabase(url: string, authToken?: string): Promise<OpenedDatabase> {
  if (url.startsWith("file:")) await mkdir(dirname(resolve(url.slice("file:".length))), { recursive: true });
  const client = createClient(authToken ? { url, authToken } : { url });
  if (url.startsWith("file:") || url === ":memory:") {
    await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA busy_timeout = 5000");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const db = drizzle(client, { schema }) as unknown as Db;
  await migrate(db as never, { migrationsFolder: migrationsFolder() });
  return { db, client, close: () => client.close() };
}

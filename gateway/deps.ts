/**
 * What the gateway app is built from. Entry files (node.ts, worker.ts) and tests construct
 * these; nothing inside the app reaches for globals, environment variables or singletons.
 */

import type { LibSQLDatabase } from "drizzle-orm/libsql";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { GatewayConfig } from "./config.js";
import type * as schema from "./db/schema.js";
import type { SecretBox } from "./lib/secret-box.js";

/** drizzle's common SQLite base, so one code path serves D1 and libSQL. */
export type Db = BaseSQLiteDatabase<"async", unknown, typeof schema> & {
  batch: LibSQLDatabase<typeof schema>["batch"];
};

export interface Clock {
  now(): number;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

/**
 * Tells long-polls that a cluster's desired state moved. On Node it is in-process (one gateway
 * process owns its database); on Workers there is none, and polls are answered at once.
 */
export interface RevisionNotifier {
  /** The last revision announced for the cluster, if this process knows it. */
  current(clusterId: string): number | undefined;
  announce(clusterId: string, revision: number): void;
  /** Resolves with the new revision when it passes `after`, or with undefined after `ms`. */
  wait(clusterId: string, after: number, ms: number, signal?: AbortSignal): Promise<number | undefined>;
}

export interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
  config: GatewayConfig;
  /** Present on runtimes that can hold a request open (Node). */
  notifier?: RevisionNotifier;
  /** Fetches a repository URL; only used when config.allowRepositoryUrls is true. */
  fetch?: typeof fetch;
  /**
   * Encrypts the cluster secret store; absent when no key is configured (the secret routes then
   * answer 503 saying how to configure one, everything else works).
   */
  secrets?: SecretBox;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Structured JSON-lines logger; `write` is where lines go (console on Node and Workers). */
export function jsonLogger(write: (line: string) => void, base: Record<string, unknown> = {}): Logger {
  const emit = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    write(JSON.stringify({ level, time: new Date().toISOString(), message, ...base, ...fields }));
  return {
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (fields) => jsonLogger(write, { ...base, ...fields }),
  };
}

export const silentLogger: Logger = {
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

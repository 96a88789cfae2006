/**
 * The agent's structured log: one JSON object per line (`level`, `time`, `message`, then the
 * fields of the logger and of the call). Components get child loggers that add their own
 * fields (`component: "poller"`), so a line says where it came from without string prefixes.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Errors as fields: their message (and code) rather than `{}`. */
function plain(value: unknown): unknown {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return code === undefined ? value.message : { message: value.message, code };
  }
  return value;
}

/**
 * A logger that writes JSON lines through `write`, dropping levels below `level`.
 *
 * @example const log = jsonLogger((line) => process.stdout.write(`${line}\n`), { agent: "a1" });
 *          log.child({ component: "poller" }).warn("gateway unreachable", { retryInMs: 2000 });
 */
export function jsonLogger(
  write: (line: string) => void,
  base: Record<string, unknown> = {},
  level: LogLevel = "info",
): Logger {
  const emit = (at: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (RANK[at] < RANK[level]) return;
    const entry: Record<string, unknown> = { level: at, time: new Date().toISOString(), message, ...base };
    for (const [k, v] of Object.entries(fields ?? {})) entry[k] = plain(v);
    write(JSON.stringify(entry));
  };
  return {
    debug: emit("debug"),
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    child: (fields) => jsonLogger(write, { ...base, ...fields }, level),
  };
}

/** Says nothing (tests). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};

/**
 * Linux /proc helpers for the process runtime: a process is identified by its pid AND its start
 * time (field 22 of /proc/<pid>/stat, clock ticks since boot), because pids are reused — a
 * restarted agent must never adopt, or signal, a stranger that got the same pid.
 * /proc reads are served from kernel memory, so they are done synchronously.
 */
import { readdirSync, readFileSync } from "node:fs";

/** USER_HZ: the unit of /proc start times; 100 on every Linux ABI Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

export interface ProcStat {
  pid: number;
  /** R, S, D, Z (zombie: exited, not yet reaped), T, … */
  state: string;
  pgrp: number;
  /** Field 22: start time in clock ticks since boot. */
  startTicks: number;
}

/** Parses /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // After ")" come fields 3, 4, 5, …: index i holds field i + 3.
  const rest = text
    .slice(close + 1)
    .trim()
    .split(/\s+/);
  const state = rest[0];
  const pgrp = Number(rest[2]);
  const startTicks = Number(rest[19]);
  if (!state || !Number.isFinite(pid) || !Number.isFinite(pgrp) || !Number.isFinite(startTicks)) {
    return undefined;
  }
  return { pid, state, pgrp, startTicks };
}

export function readProcStat(pid: number): ProcStat | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return undefined;
  }
}

let bootTimeMs: number | undefined;

/** Boot time (ms since the epoch) from the `btime` line of /proc/stat. */
export function readBootTimeMs(): number {
  if (bootTimeMs === undefined) {
    const line = readFileSync("/proc/stat", "utf8")
      .split("\n")
      .find((l) => l.startsWith("btime "));
    bootTimeMs = Number(line?.split(/\s+/)[1] ?? 0) * 1000;
  }
  return bootTimeMs;
}

/** Converts a /proc start time to ms since the epoch (10 ms resolution). */
export function startTicksToEpochMs(ticks: number): number {
  return readBootTimeMs() + Math.round((ticks * 1000) / CLOCK_TICKS_PER_SECOND);
}

export type ProcessIdentity = "alive" | "exited" | "reused";

/**
 * Whether the process recorded as (pid, startTicks) still runs: `exited` when the pid is gone or
 * a zombie, `reused` when the pid now belongs to a process started at another time.
 */
export function identify(pid: number, startTicks: number): ProcessIdentity {
  const stat = readProcStat(pid);
  if (!stat) return "exited";
  if (stat.startTicks !== startTicks) return "reused";
  return stat.state === "Z" || stat.state === "X" ? "exited" : "alive";
}

/** Whether any live (non-zombie) process is still in the process group. */
export function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return false;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readProcStat(Number(name));
    if (stat && stat.pgrp === pgid && stat.state !== "Z" && stat.state !== "X") return true;
  }
  return false;
}

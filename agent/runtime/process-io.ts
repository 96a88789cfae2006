/**
 * The process runtime's side jobs: reading a task's log files and running a command in a task's
 * context (COMMAND health checks), both usable on processes this agent did not spawn itself.
 */
import { spawn } from "node:child_process";
import { open } from "node:fs/promises";
import { tailLines } from "./env.js";
import type { ExecResult } from "./types.js";

/** Enough for the last few thousand lines of a chatty task without reading a huge file whole. */
const TAIL_READ_BYTES = 1 << 20;
const WHOLE_READ_LIMIT = 16 << 20;
const EXEC_OUTPUT_LIMIT = 4096;

/** The end of a log file (all of it up to 16 MB, or the last MB when only a tail is wanted). */
export async function readLogFile(path: string, tail: number | undefined): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch {
    return "";
  }
  try {
    const { size } = await handle.stat();
    const want = Math.min(size, tail === undefined ? WHOLE_READ_LIMIT : TAIL_READ_BYTES);
    const buffer = Buffer.alloc(want);
    await handle.read(buffer, 0, want, size - want);
    let text = buffer.toString("utf8");
    if (want < size) text = text.slice(text.indexOf("\n") + 1); // drop the cut first line
    return tailLines(text, tail);
  } finally {
    await handle.close();
  }
}

export interface HostExecOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Runs `sh -c command` on the host in its own process group, so a timeout kills everything it
 * started. Never rejects for the command's own failures: they are the result.
 */
export function execOnHost(command: string, options: HostExecOptions): Promise<ExecResult> {
  return new Promise((resolve) => {
    let output = "";
    let timedOut = false;
    const collect = (chunk: Buffer) => {
      if (output.length < EXEC_OUTPUT_LIMIT) output += chunk.toString("utf8");
    };
    const child = spawn("/bin/sh", ["-c", command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const killGroup = () => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const timer = options.timeoutMs > 0 ? setTimeout(killGroup, options.timeoutMs) : undefined;
    options.signal?.addEventListener("abort", killGroup, { once: true });
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const finish = (exitCode: number | null, extra = "") => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", killGroup);
      resolve({
        exitCode: timedOut ? null : exitCode,
        output: (output + extra).slice(0, EXEC_OUTPUT_LIMIT),
        timedOut,
      });
    };
    child.on("error", (err) => finish(null, `could not run /bin/sh: ${err.message}`));
    child.on("close", (code) => finish(code));
  });
}

/**
 * The record file a process task leaves in its sandbox (`<dataDir>/tasks/<taskId>/task.json`):
 * enough for a restarted agent to recognise its process (pid + start time), kill it, run its
 * COMMAND health checks with the same env, and report how it ended. Written atomically
 * (temp file + rename) with mode 0600, since the env may hold resolved secrets.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

export const ProcessRecordSchema = z.object({
  version: z.literal(1),
  taskId: z.string(),
  kind: z.enum(["service", "job"]),
  appId: z.string().optional(),
  jobId: z.string().optional(),
  runId: z.string().optional(),
  pid: z.number().int(),
  /** /proc/<pid>/stat field 22 (clock ticks since boot): with the pid, the process's identity. */
  startTicks: z.number(),
  startedAt: z.number(),
  argv: z.array(z.string()),
  cwd: z.string(),
  env: z.record(z.string(), z.string()),
  labels: z.record(z.string(), z.string()),
  killGracePeriodMs: z.number(),
  /** Set by the agent that spawned the process, from its exit event. */
  exit: z
    .object({
      code: z.number().nullable(),
      signal: z.string().nullable(),
      at: z.number(),
    })
    .optional(),
});
export type ProcessRecord = z.infer<typeof ProcessRecordSchema>;

export const RECORD_FILE = "task.json";

export function tasksDir(dataDir: string): string {
  return join(dataDir, "tasks");
}

export function sandboxDir(dataDir: string, taskId: string): string {
  return join(tasksDir(dataDir), taskId);
}

export function writeRecord(dataDir: string, record: ProcessRecord): void {
  const dir = sandboxDir(dataDir, record.taskId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = join(dir, `${RECORD_FILE}.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(record), { mode: 0o600 });
  renameSync(tmp, join(dir, RECORD_FILE));
}

/** The record of one task, or undefined when there is none or it does not parse (a torn write). */
export function readRecord(dataDir: string, taskId: string): ProcessRecord | undefined {
  let text: string;
  try {
    text = readFileSync(join(sandboxDir(dataDir, taskId), RECORD_FILE), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = ProcessRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function readAllRecords(dataDir: string): ProcessRecord[] {
  let names: string[];
  try {
    names = readdirSync(tasksDir(dataDir));
  } catch {
    return [];
  }
  const records: ProcessRecord[] = [];
  for (const name of names) {
    const record = readRecord(dataDir, name);
    if (record) records.push(record);
  }
  return records;
}

/**
 * What the fault tests look at besides the gateway: the task processes as /proc shows them
 * (not as the agent says), a sampler that watches them for duplicates and overcapacity, and the
 * agent's own books (its local store, opened read-only while it runs).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { readProcStat } from "../../../agent/runtime/proc.js";

/** The agent id a data directory's credential names. */
export function agentIdOf(dataDir: string): string | undefined {
  const path = join(dataDir, "credential.json");
  if (!existsSync(path)) return undefined;
  return (JSON.parse(readFileSync(path, "utf8")) as { agentId: string }).agentId;
}

/** A live task process, seen from /proc: the leader of its process group. */
export interface TaskProcess {
  pid: number;
  taskId: string;
  appId: string | undefined;
  port: number | undefined;
}

/**
 * Every live process-group leader whose sandbox lies in one of `dataDirs`, read from /proc
 * (the environment the process runtime gave it), so it does not depend on what the agent says.
 */
export function taskProcesses(dataDirs: readonly string[]): TaskProcess[] {
  const roots = dataDirs.map((d) => `${resolve(d)}/`);
  const found: TaskProcess[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = readProcStat(pid);
    if (!stat || stat.pgrp !== pid || stat.state === "Z" || stat.state === "X") continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue; // gone meanwhile, or not ours to read
    }
    const env = new Map(
      environ
        .split("\0")
        .filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as const),
    );
    const sandbox = env.get("FLOTILLA_SANDBOX");
    const taskId = env.get("FLOTILLA_TASK_ID");
    if (!sandbox || !taskId || !roots.some((r) => sandbox.startsWith(r))) continue;
    const port = env.get("PORT0");
    found.push({ pid, taskId, appId: env.get("MARATHON_APP_ID"), port: port ? Number(port) : undefined });
  }
  return found;
}

/** Kills the process group of every task process under `dataDirs`. */
export function killTaskGroups(dataDirs: readonly string[]): void {
  for (const p of taskProcesses(dataDirs)) {
    try {
      process.kill(-p.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** What the agent's local store holds: the outbox size and every task row. */
export async function agentBooks(
  dataDir: string,
): Promise<{ outbox: number; tasks: { taskId: string; state: string }[] }> {
  const client = createClient({ url: `file:${join(dataDir, "agent.db")}` });
  try {
    await client.execute("pragma busy_timeout = 5000");
    const outbox = await client.execute("select count(*) as n from outbox");
    const tasks = await client.execute("select task_id, state from tasks order by task_id");
    return {
      outbox: Number(outbox.rows[0]?.n ?? 0),
      tasks: tasks.rows.map((r) => ({ taskId: String(r.task_id), state: String(r.state) })),
    };
  } finally {
    client.close();
  }
}

/**
 * Samples the task processes under `dataDirs` every `everyMs` until stopped: the most processes
 * of one app seen at once, and any task id seen with two different pids (at once or one after
 * the other: a task id must never be launched twice).
 */
export function watchProcesses(dataDirs: readonly string[], everyMs = 50) {
  const pidsOf = new Map<string, Set<number>>();
  const mostAtOnce = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const sample = () => {
    const seen = taskProcesses(dataDirs);
    samples++;
    const perApp = new Map<string, number>();
    for (const p of seen) {
      const pids = pidsOf.get(p.taskId) ?? new Set<number>();
      pids.add(p.pid);
      pidsOf.set(p.taskId, pids);
      const app = p.appId ?? "?";
      perApp.set(app, (perApp.get(app) ?? 0) + 1);
    }
    for (const [app, n] of perApp) mostAtOnce.set(app, Math.max(mostAtOnce.get(app) ?? 0, n));
  };
  let timer: NodeJS.Timeout | undefined;
  const loop = () => {
    if (stopped) return;
    sample();
    timer = setTimeout(loop, everyMs);
  };
  loop();
  return {
    /** Stops sampling and says what was seen. */
    stop() {
      stopped = true;
      clearTimeout(timer);
      sample();
      return {
        samples,
        mostAtOnce: Object.fromEntries(mostAtOnce),
        taskIds: [...pidsOf.keys()],
        duplicates: [...pidsOf]
          .filter(([, pids]) => pids.size > 1)
          .map(([id, pids]) => ({ id, pids: [...pids] })),
      };
    },
  };
}

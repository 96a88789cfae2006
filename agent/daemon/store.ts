/**
 * The agent's local state: one libSQL (SQLite) file in the data directory holding the last
 * verified desired state, the tasks this agent launched, the job runs it decided as lease
 * holder, small values (scheduler memory), and the outbox of status updates not yet
 * acknowledged. A state change and the update that reports it are written in one batch (one
 * transaction), so after a crash the books and the outbox agree. WAL with synchronous=NORMAL
 * survives a killed process; only a power cut may lose the last transactions.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Client, createClient, type InStatement } from "@libsql/client";
import {
  type DesiredState,
  DesiredStateSchema,
  type StatusUpdate,
  StatusUpdateSchema,
} from "../../gateway/contract/agent.js";
import type { RunRecord } from "../jobs/types.js";
import type { TaskState } from "../scheduler/tasks.js";

/** A task this agent launched (or was told to and never did), as the executor keeps it. */
export interface StoredTask {
  taskId: string;
  /** The assignment's spec as received (see task-spec.ts). */
  spec: Record<string, unknown>;
  state: TaskState;
  healthy: boolean | null;
  /** Launch attempts: 0 = never launched (failed before, or killed first), 1 = launched. */
  attempts: number;
  ports: number[];
  startedAt: number | null;
  finishedAt: number | null;
  exitCode: number | null;
  message: string | null;
  updatedAt: number;
}

const SCHEMA = [
  `create table if not exists kv (key text primary key, value text not null)`,
  `create table if not exists tasks (
    task_id text primary key, spec text not null, state text not null, healthy integer,
    attempts integer not null, ports text not null, started_at integer, finished_at integer,
    exit_code integer, message text, updated_at integer not null)`,
  `create table if not exists job_runs (
    run_id text primary key, job_id text not null, state text not null, record text not null,
    updated_at integer not null)`,
  `create table if not exists outbox (
    seq integer primary key autoincrement, id text not null unique, body text not null,
    created_at integer not null)`,
];

const DESIRED_KEY = "desired-state";

const rowToTask = (r: Record<string, unknown>): StoredTask => ({
  taskId: String(r.task_id),
  spec: JSON.parse(String(r.spec)) as Record<string, unknown>,
  state: String(r.state) as TaskState,
  healthy: r.healthy === null ? null : Number(r.healthy) === 1,
  attempts: Number(r.attempts),
  ports: JSON.parse(String(r.ports)) as number[],
  startedAt: r.started_at === null ? null : Number(r.started_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  exitCode: r.exit_code === null ? null : Number(r.exit_code),
  message: r.message === null ? null : String(r.message),
  updatedAt: Number(r.updated_at),
});

export class LocalStore {
  private closed = false;

  private constructor(
    private readonly client: Client,
    readonly path: string,
  ) {}

  /** Opens (creating) `<dataDir>/agent.db`. */
  static async open(dataDir: string): Promise<LocalStore> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, "agent.db");
    const client = createClient({ url: `file:${path}` });
    await client.execute("pragma journal_mode = wal");
    await client.execute("pragma synchronous = normal");
    await client.execute("pragma busy_timeout = 5000");
    for (const sql of SCHEMA) await client.execute(sql);
    return new LocalStore(client, path);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
  }

  // ——— desired state and small values ———

  /** The last verified desired state, checked again against the contract (a bad row is ignored). */
  async desiredState(): Promise<DesiredState | undefined> {
    const value = await this.value(DESIRED_KEY);
    const parsed = DesiredStateSchema.safeParse(value);
    return parsed.success ? parsed.data : undefined;
  }

  async saveDesiredState(doc: DesiredState): Promise<void> {
    await this.setValue(DESIRED_KEY, doc);
  }

  async value(key: string): Promise<unknown> {
    const rs = await this.client.execute({ sql: "select value from kv where key = ?", args: [key] });
    const row = rs.rows[0];
    return row ? (JSON.parse(String(row.value)) as unknown) : undefined;
  }

  async setValue(key: string, value: unknown): Promise<void> {
    await this.client.execute(this.setValueStatement(key, value));
  }

  // ——— tasks ———

  async tasks(): Promise<StoredTask[]> {
    const rs = await this.client.execute("select * from tasks order by task_id");
    return rs.rows.map((r) => rowToTask(r as unknown as Record<string, unknown>));
  }

  /** Stores the task's new state and queues the updates that report it, atomically. */
  async saveTask(task: StoredTask, updates: StatusUpdate[] = []): Promise<void> {
    await this.write([
      {
        sql: `insert into tasks (task_id, spec, state, healthy, attempts, ports, started_at, finished_at,
                exit_code, message, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
              on conflict (task_id) do update set spec = excluded.spec, state = excluded.state,
                healthy = excluded.healthy, attempts = excluded.attempts, ports = excluded.ports,
                started_at = excluded.started_at, finished_at = excluded.finished_at,
                exit_code = excluded.exit_code, message = excluded.message, updated_at = excluded.updated_at`,
        args: [
          task.taskId,
          JSON.stringify(task.spec),
          task.state,
          task.healthy === null ? null : task.healthy ? 1 : 0,
          task.attempts,
          JSON.stringify(task.ports),
          task.startedAt,
          task.finishedAt,
          task.exitCode,
          task.message,
          task.updatedAt,
        ],
      },
      ...updates.map((u) => this.enqueueStatement(u)),
    ]);
  }

  /** Forgets tasks (tombstones of tasks that ended long ago). */
  async deleteTasks(taskIds: readonly string[]): Promise<void> {
    if (taskIds.length === 0) return;
    await this.client.execute({
      sql: "delete from tasks where task_id in (select value from json_each(?))",
      args: [JSON.stringify(taskIds)],
    });
  }

  // ——— job runs (lease holder) ———

  async runs(): Promise<RunRecord[]> {
    const rs = await this.client.execute("select record from job_runs order by run_id");
    return rs.rows.map((r) => JSON.parse(String(r.record)) as RunRecord);
  }

  /** Stores runs, drops `remove`, queues `updates` and small values, all in one transaction. */
  async saveRuns(
    runs: readonly RunRecord[],
    options: {
      remove?: readonly string[];
      updates?: StatusUpdate[];
      values?: Record<string, unknown>;
      now: number;
    },
  ): Promise<void> {
    const statements: InStatement[] = runs.map((r) => ({
      sql: `insert into job_runs (run_id, job_id, state, record, updated_at) values (?, ?, ?, ?, ?)
            on conflict (run_id) do update set job_id = excluded.job_id, state = excluded.state,
              record = excluded.record, updated_at = excluded.updated_at`,
      args: [r.runId, r.jobId, r.state, JSON.stringify(r), options.now],
    }));
    if (options.remove?.length)
      statements.push({
        sql: "delete from job_runs where run_id in (select value from json_each(?))",
        args: [JSON.stringify(options.remove)],
      });
    for (const u of options.updates ?? []) statements.push(this.enqueueStatement(u));
    for (const [k, v] of Object.entries(options.values ?? {})) statements.push(this.setValueStatement(k, v));
    await this.write(statements);
  }

  // ——— outbox ———

  /** Queues updates for delivery. */
  async enqueue(updates: readonly StatusUpdate[]): Promise<void> {
    await this.write(updates.map((u) => this.enqueueStatement(u)));
  }

  /**
   * The oldest `limit` queued updates. A row that no longer parses (it never should) is
   * returned in `broken`, so the caller can drop it instead of blocking the queue forever.
   */
  async peekOutbox(limit: number): Promise<{ updates: StatusUpdate[]; broken: string[] }> {
    const rs = await this.client.execute({
      sql: "select id, body from outbox order by seq limit ?",
      args: [limit],
    });
    const updates: StatusUpdate[] = [];
    const broken: string[] = [];
    for (const row of rs.rows) {
      let body: unknown;
      try {
        body = JSON.parse(String(row.body));
      } catch {
        body = undefined;
      }
      const parsed = StatusUpdateSchema.safeParse(body);
      if (parsed.success) updates.push(parsed.data);
      else broken.push(String(row.id));
    }
    return { updates, broken };
  }

  /** Drops delivered (acknowledged) updates. */
  async ackOutbox(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.client.execute({
      sql: "delete from outbox where id in (select value from json_each(?))",
      args: [JSON.stringify(ids)],
    });
  }

  async outboxSize(): Promise<number> {
    const rs = await this.client.execute("select count(*) as n from outbox");
    return Number(rs.rows[0]?.n ?? 0);
  }

  private enqueueStatement(u: StatusUpdate): InStatement {
    return {
      sql: "insert into outbox (id, body, created_at) values (?, ?, ?) on conflict (id) do nothing",
      args: [u.id, JSON.stringify(u), u.at],
    };
  }

  private setValueStatement(key: string, value: unknown): InStatement {
    return {
      sql: "insert into kv (key, value) values (?, ?) on conflict (key) do update set value = excluded.value",
      args: [key, JSON.stringify(value)],
    };
  }

  private async write(statements: InStatement[]): Promise<void> {
    if (statements.length === 0) return;
    if (statements.length === 1) await this.client.execute(statements[0]!);
    else await this.client.batch(statements, "write");
  }
}

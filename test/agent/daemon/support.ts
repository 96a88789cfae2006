/** Shared pieces of the daemon's unit tests: temp data dirs, a store, desired-state documents. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalStore } from "../../../agent/daemon/store.js";
import type { TaskSpec } from "../../../agent/daemon/task-spec.js";
import type { DesiredState, StatusUpdate } from "../../../gateway/contract/agent.js";

export async function tempStore(): Promise<{ store: LocalStore; dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "flotilla-daemon-"));
  const store = await LocalStore.open(dir);
  return {
    store,
    dir,
    remove: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export const AGENT = "ag_test1";
export const CLUSTER = "cl_test1";

/** A service task spec as a holder would write it. */
export function serviceSpec(overrides: Partial<TaskSpec> = {}): TaskSpec {
  return {
    kind: "service",
    appId: "/web",
    version: "v1",
    installId: "ins_1",
    cmd: "sleep 3600",
    env: { MESSAGE: "hi" },
    ports: [{ port: 31001, name: "http" }],
    resources: { cpus: 0.5, mem: 64, disk: 0, gpus: 0 },
    healthChecks: [],
    killGracePeriodMs: 1_000,
    labels: {},
    instances: 2,
    launchedAt: 1_000,
    ...overrides,
  };
}

export interface AssignmentInput {
  taskId: string;
  spec?: Partial<TaskSpec> | Record<string, unknown>;
  agentId?: string;
  kill?: boolean;
}

/** A desired state of this agent with these assignments. */
export function desired(
  revision: number,
  assignments: AssignmentInput[],
  extra: Partial<DesiredState> = {},
): DesiredState {
  return {
    revision,
    clusterId: CLUSTER,
    agentId: AGENT,
    generatedAt: 0,
    installs: [],
    lease: { holder: false, epoch: 0, expiresAt: null },
    agents: [],
    assignments: assignments.map((a) => ({
      taskId: a.taskId,
      agentId: a.agentId ?? AGENT,
      spec: serviceSpec(a.spec as Partial<TaskSpec>) as unknown as Record<string, unknown>,
      kill: a.kill ?? false,
      epoch: 1,
    })),
    ...extra,
  };
}

/** The task updates queued in the outbox, as `taskId:STATE` strings in order. */
export async function reported(store: LocalStore): Promise<string[]> {
  const { updates } = await store.peekOutbox(10_000);
  return updates
    .filter((u): u is Extract<StatusUpdate, { kind: "task" }> => u.kind === "task")
    .map((u) => `${u.taskId}:${u.state}`);
}

export async function taskUpdates(store: LocalStore) {
  const { updates } = await store.peekOutbox(10_000);
  return updates.filter((u): u is Extract<StatusUpdate, { kind: "task" }> => u.kind === "task");
}

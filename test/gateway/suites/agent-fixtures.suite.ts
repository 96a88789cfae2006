/**
 * Helpers of the agent-API suites (not a suite itself): a fresh cluster, a join token, a
 * registered agent, and the agent's calls. Runtime-neutral like the suites.
 */
import { expect } from "vitest";
import type { DesiredState, Lease, RegisterResponse } from "../../../gateway/contract/agent.js";
import { type Harness, post, unique } from "../harness.js";

export interface TestCluster {
  id: string;
  name: string;
}

export async function newCluster(h: Harness, prefix = "cl"): Promise<TestCluster> {
  return h.json<TestCluster>("/v1/clusters", post({ name: unique(prefix) }), 201);
}

export async function newJoinToken(
  h: Harness,
  cluster: string,
  body: { ttlSeconds?: number; maxUses?: number } = {},
): Promise<{ id: string; token: string; uses: number }> {
  return h.json(`/v1/clusters/${cluster}/join-tokens`, post(body), 201);
}

export const INVENTORY = {
  resources: { cpus: 4, mem: 8192, disk: 100_000, ports: [[31000, 32000]] },
  free: { cpus: 4, mem: 8192, disk: 100_000, ports: [[31000, 32000]] },
  attributes: { zone: "a" },
};

/** Registers an agent (new join token each time); returns the registration response. */
export async function newAgent(
  h: Harness,
  cluster: TestCluster,
  hostname = unique("node"),
  inventory: unknown = INVENTORY,
): Promise<RegisterResponse> {
  const { token } = await newJoinToken(h, cluster.id);
  return h.json<RegisterResponse>(
    "/v1/agent/register",
    post({ joinToken: token, hostname, inventory }, null),
    201,
  );
}

export const agentPath = (clusterId: string, what: string) => `/v1/agent/clusters/${clusterId}/${what}`;

/** A desired-state poll as an agent sends it. */
export function poll(
  h: Harness,
  agent: { clusterId: string; credential: string },
  options: { etag?: string; query?: string; cluster?: string } = {},
): Promise<Response> {
  const path =
    agentPath(options.cluster ?? agent.clusterId, "desired-state") +
    (options.query ? `?${options.query}` : "");
  return h.request(path, {
    token: agent.credential,
    ...(options.etag !== undefined && { headers: { "if-none-match": options.etag } }),
  });
}

/** The current desired state, which must be a 200. */
export async function desiredState(h: Harness, agent: RegisterResponse): Promise<DesiredState> {
  const res = await poll(h, agent);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as DesiredState;
  expect(res.headers.get("etag")).toBe(`"${doc.revision}"`);
  return doc;
}

export const lease = (h: Harness, agent: RegisterResponse, body: { release?: boolean } = {}) =>
  h.json<Lease>(agentPath(agent.clusterId, "lease"), post(body, agent.credential));

export const sendStatus = (h: Harness, agent: RegisterResponse, body: unknown) =>
  h.request(agentPath(agent.clusterId, "status"), post(body, agent.credential));

export const assign = (h: Harness, agent: RegisterResponse, body: unknown) =>
  h.request(agentPath(agent.clusterId, "assignments"), post(body, agent.credential));

export async function agentsOf(
  h: Harness,
  cluster: string,
): Promise<
  {
    id: string;
    hostname: string;
    state: string;
    lastSeenAt: string | null;
    leaseHolder: boolean;
    inventory: Record<string, unknown> | null;
  }[]
> {
  return (await h.json<{ agents: never[] }>(`/v1/clusters/${cluster}/agents`)).agents;
}

export async function revisionOf(h: Harness, cluster: string): Promise<number> {
  return (await h.json<{ desiredRevision: number }>(`/v1/clusters/${cluster}`)).desiredRevision;
}

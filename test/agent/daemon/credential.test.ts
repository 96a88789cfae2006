/**
 * The agent's identity: registered once with the join token and kept readable by its user
 * only; later starts need no token; a gateway that is down is waited for; a refused token
 * stops the start with the gateway's reason.
 */
import { statSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { AgentSetupError, credentialPath, ensureIdentity } from "../../../agent/daemon/credential.js";
import { GatewayError } from "../../../agent/daemon/gateway-client.js";
import { silentLogger } from "../../../agent/daemon/logger.js";
import { daemonTimers } from "../../../agent/daemon/timers.js";
import type { RegisterRequest, RegisterResponse } from "../../../gateway/contract/agent.js";
import { tempStore } from "./support.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const TOKEN = `fltj_${"x".repeat(30)}`;
const answer: RegisterResponse = {
  agentId: "ag_1",
  clusterId: "cl_1",
  clusterName: "berlin",
  credential: "flta_secret",
  settings: {
    heartbeatWriteMs: 10_000,
    agentStaleMs: 30_000,
    leaseMs: 15_000,
    maxWaitSeconds: 30,
    longPoll: true,
  },
};

async function options(
  register: (r: RegisterRequest) => Promise<RegisterResponse>,
  joinToken: string | undefined = TOKEN,
) {
  const t = await tempStore();
  cleanups.push(t.remove);
  return {
    client: { register },
    gateway: "http://gw",
    joinToken,
    hostname: "node-1",
    inventory: { resources: { cpus: 1, mem: 512, disk: 0, ports: [] }, attributes: {} },
    dataDir: t.dir,
    timers: daemonTimers,
    logger: silentLogger,
    signal: new AbortController().signal,
    backoff: { baseMs: 5, capMs: 20 },
  };
}

describe("agent identity", () => {
  it("registers once, keeps the credential at mode 0600, and uses it on the next start", async () => {
    const sent: RegisterRequest[] = [];
    const o = await options(async (r) => {
      sent.push(r);
      return answer;
    });
    const first = await ensureIdentity(o);
    expect(first).toMatchObject({
      agentId: "ag_1",
      clusterId: "cl_1",
      credential: "flta_secret",
      gateway: "http://gw",
    });
    expect(sent).toEqual([{ joinToken: TOKEN, hostname: "node-1", inventory: o.inventory }]);
    expect(statSync(credentialPath(o.dataDir)).mode & 0o777).toBe(0o600);
    const again = await ensureIdentity({ ...o, joinToken: undefined });
    expect(again).toEqual(first);
    expect(sent).toHaveLength(1);
  });

  it("waits for a gateway that is down, then registers", async () => {
    let calls = 0;
    const o = await options(async () => {
      if (++calls < 4) throw new GatewayError("unreachable", "connection refused");
      return answer;
    });
    expect((await ensureIdentity(o)).agentId).toBe("ag_1");
    expect(calls).toBe(4);
  });

  it("stops with the gateway's reason when the join token is refused, and asks for one when there is none", async () => {
    const o = await options(async () => {
      throw new GatewayError("rejected", "401 this join token expired", 401, "JOIN_TOKEN_EXPIRED");
    });
    await expect(ensureIdentity(o)).rejects.toThrow(AgentSetupError);
    await expect(ensureIdentity(o)).rejects.toThrow(
      /refused to register this agent: 401 this join token expired/,
    );
    await expect(ensureIdentity({ ...o, joinToken: undefined })).rejects.toThrow(
      /pass --join-token or set FLOTILLA_JOIN_TOKEN/,
    );
  });
});

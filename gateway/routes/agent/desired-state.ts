/**
 * `GET /v1/agent/clusters/{cluster}/desired-state`: the agent's poll. Conditional on
 * `If-None-Match: "<revision>"` or `?since=`, long-polled with `?wait=` where the runtime can
 * hold a request (Node).
 */
import { z } from "zod";
import { DesiredStateQuery, DesiredStateSchema } from "../../contract/agent.js";
import type { GatewayApp } from "../../env.js";
import { pollDesiredState, revisionFromTag, revisionTag } from "../../services/agents/desired-state.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { AgentClusterParam } from "./params.js";

const route = defineRoute("agent", {
  method: "get",
  path: "/v1/agent/clusters/{cluster}/desired-state",
  tags: ["agent API"],
  summary: "The desired state of the cluster for this agent (304 when unchanged)",
  request: {
    params: AgentClusterParam,
    query: DesiredStateQuery,
    headers: z.object({ "if-none-match": z.string().max(200).optional() }),
  },
  responses: {
    200: json(DesiredStateSchema, "the desired state; ETag is its revision"),
    304: { description: "unchanged since the revision the agent has" },
    ...errorResponses,
  },
});

export const registerDesiredState = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { since, wait } = c.req.valid("query");
    const result = await pollDesiredState(ctxOf(c), c.req.valid("param").cluster, {
      since: revisionFromTag(c.req.valid("header")["if-none-match"]) ?? since,
      waitSeconds: wait,
      // Only a long-poll needs to hear of a client going away; reading `raw` on Node builds a
      // full Request, a cost the plain unchanged poll should not pay.
      ...(wait !== undefined && wait > 0 && { signal: c.req.raw.signal }),
    });
    c.header("cache-control", "no-cache");
    if (result.status === 304) {
      c.header("etag", revisionTag(result.revision));
      return c.body(null, 304);
    }
    c.header("etag", revisionTag(result.document.revision));
    return c.json(result.document, 200);
  });

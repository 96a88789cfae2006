/** `POST /v1/agent/register`: trade a join token for an agent credential. */
import { RegisterRequest, RegisterResponse } from "../../contract/agent.js";
import type { GatewayApp } from "../../env.js";
import { registerAgent } from "../../services/agents/register.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("join-token", {
  method: "post",
  path: "/v1/agent/register",
  tags: ["agent API"],
  summary: "Register an agent with a join token; returns its credential (shown once)",
  request: { body: { content: { "application/json": { schema: RegisterRequest } }, required: true } },
  responses: { 201: json(RegisterResponse, "the new agent and its credential"), ...errorResponses },
});

export const registerRegisterAgent = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json(await registerAgent(ctxOf(c), c.req.valid("json")), 201));

/** `POST /v1/tokens`: create an API token; the secret is in this response only. */
import { CreatedTokenSchema, CreateTokenBody } from "../../contract/tokens.js";
import type { GatewayApp } from "../../env.js";
import { createToken } from "../../services/tokens/api-tokens.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("admin", {
  method: "post",
  path: "/v1/tokens",
  tags: ["tokens"],
  summary: "Create an API token (the secret is shown once)",
  request: { body: { content: { "application/json": { schema: CreateTokenBody } }, required: true } },
  responses: { 201: json(CreatedTokenSchema, "the new token, with its secret"), ...errorResponses },
});

export const registerCreateToken = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json(await createToken(ctxOf(c), c.req.valid("json")), 201));

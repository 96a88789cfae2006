/** `GET /v1/tokens`: API tokens, never their secrets. */
import { z } from "zod";
import { TokenSchema } from "../../contract/tokens.js";
import type { GatewayApp } from "../../env.js";
import { listTokens } from "../../services/tokens/api-tokens.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("admin", {
  method: "get",
  path: "/v1/tokens",
  tags: ["tokens"],
  summary: "List API tokens (without secrets; revoked ones flagged)",
  responses: {
    200: json(z.object({ tokens: z.array(TokenSchema) }), "tokens, oldest first"),
    ...errorResponses,
  },
});

export const registerListTokens = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json({ tokens: await listTokens(ctxOf(c)) }, 200));

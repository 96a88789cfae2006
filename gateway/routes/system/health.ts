/** `GET /healthz`: liveness, no authentication, touches nothing. */
import { createRoute, z } from "@hono/zod-openapi";
import type { GatewayApp } from "../../env.js";

const route = createRoute({
  method: "get",
  path: "/healthz",
  tags: ["system"],
  summary: "Liveness check",
  description: "Role: none.",
  responses: {
    200: {
      description: "alive",
      content: { "application/json": { schema: z.object({ ok: z.literal(true) }) } },
    },
  },
});

export const registerHealth = (app: GatewayApp) =>
  app.openapi(route, (c) => c.json({ ok: true as const }, 200));

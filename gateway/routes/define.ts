/**
 * Helpers every route file uses: `defineRoute` (an OpenAPI route that states the role it needs
 * in its description and security), `ctxOf` (the request's service context), and shared
 * response pieces (problem responses, JSON content).
 */
import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { Role } from "../auth/principal.js";
import type { Ctx, GatewayEnv } from "../env.js";
import { PROBLEM_JSON } from "../problem.js";

export type Access = Role | "agent" | "join-token" | "none";

const ACCESS_TEXT: Record<Access, string> = {
  none: "No authentication.",
  viewer: "Role: viewer or above.",
  operator: "Role: operator or above.",
  admin: "Role: admin.",
  agent: "Agent credential (flta_…) of this cluster.",
  "join-token": "A join token (fltj_…) in the body.",
};

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    code: z.string(),
    reason: z.string().optional(),
    requestId: z.string(),
  })
  .passthrough()
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { [PROBLEM_JSON]: { schema: ProblemSchema } },
});

/** The error responses every authenticated route may give. */
export const errorResponses = {
  400: problem("invalid request (each failing field listed)"),
  401: problem("missing or invalid credential"),
  403: problem("the credential may not do this"),
  404: problem("not found"),
  409: problem("conflicts with the current state"),
} as const;

/** The 503 of routes that need something this gateway may not be configured with (the secrets key). */
export const unavailableResponse = {
  503: problem("not configured on this gateway (the problem says how to configure it)"),
} as const;

export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

export function defineRoute<const R extends RouteConfig>(access: Access, route: R): R {
  const text = ACCESS_TEXT[access];
  return createRoute({
    ...route,
    description: route.description ? `${route.description}\n\n${text}` : text,
    ...(access === "none" || access === "join-token" ? {} : { security: [{ bearer: [] }] }),
  }) as R;
}

export const ctxOf = (c: Context<GatewayEnv>): Ctx => c.get("ctx");

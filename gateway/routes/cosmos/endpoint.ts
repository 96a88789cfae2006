/**
 * How a Cosmos endpoint is served. Every Cosmos route answers in Cosmos's shape, errors
 * included, so it does not go through the app's zod hook or its problem+json error handler:
 * `cosmosHandler` catches everything and answers `{type, message, data}` with Cosmos's error
 * media type, and `registerCosmosEndpoint` checks the role, negotiates media types and parses
 * the body itself (JSON.parse + zod safeParse, failures as Cosmos's `json_error`). The route is
 * still documented in /openapi.json with the role it needs.
 */

import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { type Role, requireUser } from "../../auth/principal.js";
import {
  COSMOS_BASE,
  COSMOS_ERROR_MEDIA_TYPE,
  CosmosErrorSchema,
  type CosmosMediaTypes,
  withVersion,
} from "../../contract/cosmos.js";
import type { Ctx, GatewayApp, GatewayEnv } from "../../env.js";
import { toCosmosError } from "../../services/cosmos/error-map.js";
import { CosmosError } from "../../services/cosmos/errors.js";
import { ctxOf, defineRoute } from "../define.js";
import { checkContentType, negotiate } from "./media.js";

type Handler = (c: Context<GatewayEnv>) => Promise<Response>;

/** The Cosmos error response for anything `fn` throws; internal errors are logged first. */
export const cosmosHandler =
  (fn: Handler): Handler =>
  async (c) => {
    try {
      return await fn(c);
    } catch (e) {
      return cosmosErrorResponse(c, e);
    }
  };

export function cosmosErrorResponse(c: Context<GatewayEnv>, e: unknown): Response {
  const { requestId, deps } = ctxOf(c);
  const err = toCosmosError(e, requestId);
  if (err.status >= 500) {
    deps.logger.error("cosmos request failed", {
      requestId,
      path: c.req.path,
      error: e instanceof Error ? e.stack : String(e),
    });
  }
  const headers: Record<string, string> = { "content-type": COSMOS_ERROR_MEDIA_TYPE };
  if (err.status === 401) headers["www-authenticate"] = 'Bearer realm="flotilla"';
  return c.body(JSON.stringify(err), err.status as ContentfulStatusCode, headers);
}

/** The body as JSON checked by `schema`; an empty body is `{}`. */
async function readBody<S extends z.ZodType>(c: Context<GatewayEnv>, schema: S): Promise<z.infer<S>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim() !== "") {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new CosmosError("json_error", `Json parsing failure '${reason}'`, 400, { type: "parse", reason });
    }
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.map((i) => ({ path: `/${i.path.join("/")}`, reason: i.message }));
  throw new CosmosError(
    "json_error",
    `Json decoding failure: ${errors.map((e) => `${e.path}: ${e.reason}`).join("; ")}`,
    400,
    { type: "decode", ...errors[0], errors },
  );
}

export interface CosmosEndpoint<S extends z.ZodType> {
  method: "post" | "get";
  /** Below the cluster's base URL, e.g. `/package/search`. */
  path: string;
  access: Role;
  media: CosmosMediaTypes;
  summary: string;
  description?: string;
  request: S;
  response: z.ZodType;
  /** `version` is the negotiated version of the response body. */
  run(ctx: Ctx, cluster: string, body: z.infer<S>, version: string): Promise<unknown>;
}

const ClusterParam = z.object({ cluster: z.string().min(1).max(64) });

/** Documents the endpoint in /openapi.json and serves it under `/cosmos/clusters/{cluster}`. */
export function registerCosmosEndpoint<S extends z.ZodType>(app: GatewayApp, ep: CosmosEndpoint<S>): void {
  const { request, response } = ep.media;
  const errorContent = { [COSMOS_ERROR_MEDIA_TYPE]: { schema: CosmosErrorSchema } };
  const route = defineRoute(ep.access, {
    method: ep.method,
    path: `${COSMOS_BASE}${ep.path}`,
    tags: ["cosmos"],
    summary: ep.summary,
    description: `${ep.description ? `${ep.description}\n\n` : ""}Cosmos API of the cluster (for old DC/OS clients). Accept: ${response.versions.map((v) => withVersion(response.type, v)).join(", ")}; errors are {type, message, data} as ${COSMOS_ERROR_MEDIA_TYPE}. Authorization: token=flt_… or Bearer flt_….`,
    request: {
      params: ClusterParam,
      ...(request && {
        body: {
          content: { [withVersion(request.type, request.versions[0] ?? "v1")]: { schema: ep.request } },
          required: true,
        },
      }),
    },
    responses: {
      200: {
        description: "the Cosmos response",
        content: { [withVersion(response.type, response.versions[0] ?? "v1")]: { schema: ep.response } },
      },
      400: { description: "a Cosmos error (PackageNotFound, JsonSchemaMismatch, …)", content: errorContent },
      401: { description: "missing or invalid credential (Unauthorized)", content: errorContent },
      403: { description: "the credential may not do this (Forbidden)", content: errorContent },
      406: { description: "Accept allows no response type of this endpoint", content: errorContent },
    },
  });
  app.openAPIRegistry.registerPath(route);

  const path = `/cosmos/clusters/:cluster${ep.path}`;
  app.on(
    ep.method.toUpperCase(),
    path,
    cosmosHandler(async (c) => {
      const ctx = ctxOf(c);
      // Credentials first: a refused caller learns nothing, not even whether its body parses.
      requireUser(ctx.principal, ep.access);
      const answer = negotiate(c.req.header("accept"), response);
      let body: z.infer<S> = {} as z.infer<S>;
      if (request) {
        checkContentType(c.req.header("content-type"), request);
        body = await readBody(c, ep.request);
      }
      const result = await ep.run(ctx, c.req.param("cluster") ?? "", body, answer.version);
      return c.body(JSON.stringify(result), 200, { "content-type": answer.contentType });
    }),
  );
}

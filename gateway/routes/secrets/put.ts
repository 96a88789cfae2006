/** `PUT /v1/clusters/{cluster}/secrets/{path}`: create or replace a secret (the value never comes back). */
import { PutSecretBody, PutSecretResponse } from "../../contract/secrets.js";
import type { GatewayApp } from "../../env.js";
import { setSecret } from "../../services/secrets/secrets.js";
import { ctxOf, defineRoute, errorResponses, json, unavailableResponse } from "../define.js";
import { NESTED_SECRET_PATH, SECRET_PATH, SecretParam } from "./params.js";

/** The documented route, or (hidden) its twin that takes the path's slashes as they are. */
const putRoute = (path: string, hide: boolean) =>
  defineRoute("admin", {
    method: "put",
    path,
    hide,
    tags: ["secrets"],
    summary:
      "Set a secret of the cluster (create or replace; the path's slashes URL-encoded, value at most 64 KiB)",
    request: {
      params: SecretParam,
      body: { content: { "application/json": { schema: PutSecretBody } }, required: true },
    },
    responses: {
      200: json(PutSecretResponse, "the secret's path and times (never its value)"),
      ...errorResponses,
      ...unavailableResponse,
    },
  });

export function registerPutSecret(app: GatewayApp): void {
  for (const route of [putRoute(SECRET_PATH, false), putRoute(NESTED_SECRET_PATH, true)])
    app.openapi(route, async (c) => {
      const { cluster, path } = c.req.valid("param");
      return c.json(await setSecret(ctxOf(c), cluster, path, c.req.valid("json").value), 200);
    });
}

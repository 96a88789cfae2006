/** `DELETE /v1/clusters/{cluster}/secrets/{path}`: remove a secret (running tasks keep their env). */
import type { GatewayApp } from "../../env.js";
import { deleteSecret } from "../../services/secrets/secrets.js";
import { ctxOf, defineRoute, errorResponses, unavailableResponse } from "../define.js";
import { NESTED_SECRET_PATH, SECRET_PATH, SecretParam } from "./params.js";

/** The documented route, or (hidden) its twin that takes the path's slashes as they are. */
const deleteRoute = (path: string, hide: boolean) =>
  defineRoute("admin", {
    method: "delete",
    path,
    hide,
    tags: ["secrets"],
    summary: "Delete a secret of the cluster (tasks already running keep the value they were started with)",
    request: { params: SecretParam },
    responses: { 204: { description: "deleted" }, ...errorResponses, ...unavailableResponse },
  });

export function registerDeleteSecret(app: GatewayApp): void {
  for (const route of [deleteRoute(SECRET_PATH, false), deleteRoute(NESTED_SECRET_PATH, true)])
    app.openapi(route, async (c) => {
      const { cluster, path } = c.req.valid("param");
      await deleteSecret(ctxOf(c), cluster, path);
      return c.body(null, 204);
    });
}

/** `POST /v1/clusters/{cluster}/installs/{appId}/rollback`: restore an earlier revision. */
import { InstallChangeSchema, RollbackBody } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { rollbackInstall } from "../../services/installs/rollback.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { InstallParams } from "./params.js";

const route = defineRoute("operator", {
  method: "post",
  path: "/v1/clusters/{cluster}/installs/{appId}/rollback",
  tags: ["installs"],
  summary: "Roll back to an earlier revision",
  description:
    "Writes a new revision N+1 with exactly the version, options and plan of `toRevision`; history is kept and the desired-state revision moves forward.",
  request: {
    params: InstallParams,
    body: { content: { "application/json": { schema: RollbackBody } }, required: true },
  },
  responses: { 200: json(InstallChangeSchema, "the install at its new revision"), ...errorResponses },
});

export const registerRollbackInstall = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, appId } = c.req.valid("param");
    return c.json(await rollbackInstall(ctxOf(c), cluster, appId, c.req.valid("json").toRevision), 200);
  });

/** `POST /v1/clusters/{cluster}/services/restart`: restart every instance of an app, rolling. */
import { RestartBody, ServiceChangeSchema } from "../../contract/operations.js";
import type { GatewayApp } from "../../env.js";
import { restartService } from "../../services/operations/restart.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterParams } from "./params.js";

const route = defineRoute("operator", {
  method: "post",
  path: "/v1/clusters/{cluster}/services/restart",
  tags: ["services"],
  summary: "Restart a service",
  description:
    "Writes a new revision of the install that runs the app (reason `restart`) with the label FLOTILLA_RESTART set to now, a new app version that the agents roll out like an upgrade.",
  request: {
    params: ClusterParams,
    body: { content: { "application/json": { schema: RestartBody } }, required: true },
  },
  responses: { 200: json(ServiceChangeSchema, "the change"), ...errorResponses },
});

export const registerRestartService = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await restartService(ctxOf(c), c.req.valid("param").cluster, c.req.valid("json").appId), 200),
  );

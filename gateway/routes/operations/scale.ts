/** `POST /v1/clusters/{cluster}/services/scale`: change an app's instances. */
import { ScaleBody, ServiceChangeSchema } from "../../contract/operations.js";
import type { GatewayApp } from "../../env.js";
import { scaleService } from "../../services/operations/scale.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterParams } from "./params.js";

const route = defineRoute("operator", {
  method: "post",
  path: "/v1/clusters/{cluster}/services/scale",
  tags: ["services"],
  summary: "Scale a service",
  description:
    "Writes a new revision of the install that runs the app (reason `scale`) with the app's `instances` changed, and bumps the desired-state revision. `appId` is the app's id in the plan. The same count as now writes nothing (`changed: false`).",
  request: {
    params: ClusterParams,
    body: { content: { "application/json": { schema: ScaleBody } }, required: true },
  },
  responses: { 200: json(ServiceChangeSchema, "the change"), ...errorResponses },
});

export const registerScaleService = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await scaleService(ctxOf(c), c.req.valid("param").cluster, c.req.valid("json")), 200),
  );

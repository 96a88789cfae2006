/** `POST /v1/clusters`: create a cluster. */

import { ClusterSchema, CreateClusterBody } from "../../contract/clusters.js";
import type { GatewayApp } from "../../env.js";
import { createCluster } from "../../services/clusters/clusters.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("admin", {
  method: "post",
  path: "/v1/clusters",
  tags: ["clusters"],
  summary: "Create a cluster",
  request: { body: { content: { "application/json": { schema: CreateClusterBody } }, required: true } },
  responses: { 201: json(ClusterSchema, "the new cluster"), ...errorResponses },
});

export const registerCreateCluster = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json(await createCluster(ctxOf(c), c.req.valid("json")), 201));

/** `GET /v1/clusters`: the clusters the caller may see. */
import { z } from "zod";
import { ClusterSchema } from "../../contract/clusters.js";
import type { GatewayApp } from "../../env.js";
import { listClusters } from "../../services/clusters/clusters.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters",
  tags: ["clusters"],
  summary: "List clusters",
  responses: {
    200: json(z.object({ clusters: z.array(ClusterSchema) }), "clusters by name"),
    ...errorResponses,
  },
});

export const registerListClusters = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json({ clusters: await listClusters(ctxOf(c)) }, 200));

/** `GET /v1/clusters/{cluster}` and `DELETE /v1/clusters/{cluster}` (by id or name). */
import { z } from "zod";
import { ClusterSchema } from "../../contract/clusters.js";
import type { GatewayApp } from "../../env.js";
import { deleteCluster, getCluster } from "../../services/clusters/clusters.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

export const ClusterParam = z.object({ cluster: z.string().min(1).max(64) });

const getRoute = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}",
  tags: ["clusters"],
  summary: "Show a cluster",
  request: { params: ClusterParam },
  responses: { 200: json(ClusterSchema, "the cluster"), ...errorResponses },
});

const deleteRoute = defineRoute("admin", {
  method: "delete",
  path: "/v1/clusters/{cluster}",
  tags: ["clusters"],
  summary: "Delete a cluster with its agents, tokens and installs",
  request: { params: ClusterParam },
  responses: { 204: { description: "deleted" }, ...errorResponses },
});

export function registerGetCluster(app: GatewayApp): void {
  app.openapi(getRoute, async (c) => c.json(await getCluster(ctxOf(c), c.req.valid("param").cluster), 200));
  app.openapi(deleteRoute, async (c) => {
    await deleteCluster(ctxOf(c), c.req.valid("param").cluster);
    return c.body(null, 204);
  });
}

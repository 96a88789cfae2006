/**
 * Status views (viewer): `GET /v1/clusters/{cluster}/installs/{appId}/status` and
 * `GET /v1/clusters/{cluster}/status`, from what the cluster's agents reported.
 */
import { ClusterStatusSchema, InstallStatusSchema } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { clusterStatus, installStatus } from "../../services/status/status.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterParams, InstallParams } from "../installs/params.js";

const installRoute = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/installs/{appId}/status",
  tags: ["status"],
  summary: "Status of an install: instances desired/running/healthy, tasks, job runs, waiting reasons",
  request: { params: InstallParams },
  responses: { 200: json(InstallStatusSchema, "the install's status"), ...errorResponses },
});

const clusterRoute = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/status",
  tags: ["status"],
  summary: "Status of every install of a cluster",
  request: { params: ClusterParams },
  responses: { 200: json(ClusterStatusSchema, "the cluster's status"), ...errorResponses },
});

export function registerStatusRoutes(app: GatewayApp): void {
  app.openapi(installRoute, async (c) => {
    const { cluster, appId } = c.req.valid("param");
    return c.json(await installStatus(ctxOf(c), cluster, appId), 200);
  });
  app.openapi(clusterRoute, async (c) =>
    c.json(await clusterStatus(ctxOf(c), c.req.valid("param").cluster), 200),
  );
}

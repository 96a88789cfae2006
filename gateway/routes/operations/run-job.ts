/** `POST /v1/clusters/{cluster}/jobs/{jobId}/runs`: run a job now. */
import { RunRequestedSchema } from "../../contract/operations.js";
import type { GatewayApp } from "../../env.js";
import { requestJobRun } from "../../services/operations/run-request.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { JobParams } from "./params.js";

const route = defineRoute("operator", {
  method: "post",
  path: "/v1/clusters/{cluster}/jobs/{jobId}/runs",
  tags: ["jobs"],
  summary: "Run a job now",
  description:
    "Records a run request and bumps the desired-state revision; the cluster's scheduling agent starts one run, `<jobId>.req-<requestId>`. No body. 404 when no install on the cluster has the job.",
  request: { params: JobParams },
  responses: { 201: json(RunRequestedSchema, "the request and the id its run will have"), ...errorResponses },
});

export const registerRunJob = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, jobId } = c.req.valid("param");
    return c.json(await requestJobRun(ctxOf(c), cluster, jobId), 201);
  });

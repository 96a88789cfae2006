/** `GET /v1/clusters/{cluster}/jobs/{jobId}`: one job, its definition and pending run requests. */
import { JobDetailSchema } from "../../contract/operations.js";
import type { GatewayApp } from "../../env.js";
import { describeJob } from "../../services/operations/jobs.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { JobParams } from "./params.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/jobs/{jobId}",
  tags: ["jobs"],
  summary: "Show a job",
  request: { params: JobParams },
  responses: { 200: json(JobDetailSchema, "the job"), ...errorResponses },
});

export const registerGetJob = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, jobId } = c.req.valid("param");
    return c.json(await describeJob(ctxOf(c), cluster, jobId), 200);
  });

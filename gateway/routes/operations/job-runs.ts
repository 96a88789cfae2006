/** `GET /v1/clusters/{cluster}/jobs/{jobId}/runs`: a job's runs, newest first. */
import { JobRunsQuery, JobRunsSchema } from "../../contract/operations.js";
import type { GatewayApp } from "../../env.js";
import { listJobRuns } from "../../services/operations/jobs.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { JobParams } from "./params.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/jobs/{jobId}/runs",
  tags: ["jobs"],
  summary: "List a job's runs",
  description:
    "Newest first (`limit`, default 50), as the agents reported them: pipeline steps that were not run say which parent failed. Requests no agent has answered yet are listed apart.",
  request: { params: JobParams, query: JobRunsQuery },
  responses: { 200: json(JobRunsSchema, "the runs"), ...errorResponses },
});

export const registerJobRuns = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, jobId } = c.req.valid("param");
    return c.json(await listJobRuns(ctxOf(c), cluster, jobId, c.req.valid("query").limit), 200);
  });

/** `GET /v1/clusters/{cluster}/jobs`: every job the cluster's installs define. */
import { JobListSchema } from "../../contract/operations.js";
import type { GatewayApp } from "../../env.js";
import { listJobs } from "../../services/operations/jobs.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterParams } from "./params.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/jobs",
  tags: ["jobs"],
  summary: "List the jobs of a cluster",
  description:
    "Every job of every install's current plan, with its schedules (and next tick), dependencies and latest runs.",
  request: { params: ClusterParams },
  responses: { 200: json(JobListSchema, "jobs by id"), ...errorResponses },
});

export const registerListJobs = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json(await listJobs(ctxOf(c), c.req.valid("param").cluster), 200));

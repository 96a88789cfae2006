/** `GET /v1/clusters/{cluster}/secrets`: the cluster's secret paths and times, never values. */
import { SecretListSchema } from "../../contract/secrets.js";
import type { GatewayApp } from "../../env.js";
import { listSecrets } from "../../services/secrets/secrets.js";
import { ctxOf, defineRoute, errorResponses, json, unavailableResponse } from "../define.js";
import { ClusterRefParam } from "./params.js";

const route = defineRoute("operator", {
  method: "get",
  path: "/v1/clusters/{cluster}/secrets",
  tags: ["secrets"],
  summary: "List the cluster's secrets (paths, times and who set them; never values)",
  request: { params: ClusterRefParam },
  responses: {
    200: json(SecretListSchema, "secrets by path"),
    ...errorResponses,
    ...unavailableResponse,
  },
});

export const registerListSecrets = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    c.header("cache-control", "no-store");
    return c.json({ secrets: await listSecrets(ctxOf(c), c.req.valid("param").cluster) }, 200);
  });

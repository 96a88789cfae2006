/** `GET /v1/clusters/{cluster}/installs`: the installs of a cluster. */
import { z } from "zod";
import { InstallSummarySchema } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { listInstalls } from "../../services/installs/read.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterParams } from "./params.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/installs",
  tags: ["installs"],
  summary: "List the installs of a cluster",
  request: { params: ClusterParams },
  responses: {
    200: json(z.object({ installs: z.array(InstallSummarySchema) }), "installs by app id"),
    ...errorResponses,
  },
});

export const registerListInstalls = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json({ installs: await listInstalls(ctxOf(c), c.req.valid("param").cluster) }, 200),
  );

/** `GET /v1/clusters/{cluster}/installs/{appId}`: describe an install. */
import { InstallDetailSchema } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { describeInstall } from "../../services/installs/read.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { InstallParams } from "./params.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/installs/{appId}",
  tags: ["installs"],
  summary: "Describe an install: version, user and resolved options, plan, history",
  request: { params: InstallParams },
  responses: { 200: json(InstallDetailSchema, "the install"), ...errorResponses },
});

export const registerGetInstall = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, appId } = c.req.valid("param");
    return c.json(await describeInstall(ctxOf(c), cluster, appId), 200);
  });

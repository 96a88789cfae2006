/** `GET /v1/clusters/{cluster}/installs/{appId}/history`: every revision of an install. */
import { HistorySchema } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { installHistory } from "../../services/installs/read.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { InstallParams } from "./params.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/clusters/{cluster}/installs/{appId}/history",
  tags: ["installs"],
  summary: "History of an install: every revision with reason, author, time, version and user options",
  request: { params: InstallParams },
  responses: { 200: json(HistorySchema, "revisions, oldest first"), ...errorResponses },
});

export const registerInstallHistory = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, appId } = c.req.valid("param");
    return c.json(await installHistory(ctxOf(c), cluster, appId), 200);
  });

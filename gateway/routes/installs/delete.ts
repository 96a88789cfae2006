/** `DELETE /v1/clusters/{cluster}/installs/{appId}`: uninstall. */
import { z } from "zod";
import { UninstallResultSchema } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { uninstall } from "../../services/installs/uninstall.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { InstallParams } from "./params.js";

const route = defineRoute("operator", {
  method: "delete",
  path: "/v1/clusters/{cluster}/installs/{appId}",
  tags: ["installs"],
  summary: "Uninstall",
  description:
    "Refused with 409 REQUIRED_BY while another install on the cluster depends on this one, unless force=true.",
  request: { params: InstallParams, query: z.object({ force: z.enum(["true", "false"]).optional() }) },
  responses: { 200: json(UninstallResultSchema, "what was removed"), ...errorResponses },
});

export const registerDeleteInstall = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, appId } = c.req.valid("param");
    const force = c.req.valid("query").force === "true";
    return c.json(await uninstall(ctxOf(c), cluster, appId, force), 200);
  });

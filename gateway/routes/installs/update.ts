/** `PATCH /v1/clusters/{cluster}/installs/{appId}`: change options and/or version. */
import { InstallChangeSchema, UpdateInstallBody } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { updateInstall } from "../../services/installs/update.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { InstallParams } from "./params.js";

const route = defineRoute("operator", {
  method: "patch",
  path: "/v1/clusters/{cluster}/installs/{appId}",
  tags: ["installs"],
  summary: "Update an install's options and/or version",
  description:
    "Options merge over the previous user options unless `replace` is true. A version change must be allowed by the new version's upgradesFrom or the installed version's downgradesTo (409 UPGRADE_NOT_ALLOWED otherwise). Writes revision N+1; a concurrent change gets 409 CONCURRENT_CHANGE.",
  request: {
    params: InstallParams,
    body: { content: { "application/json": { schema: UpdateInstallBody } }, required: true },
  },
  responses: { 200: json(InstallChangeSchema, "the install at its new revision"), ...errorResponses },
});

export const registerUpdateInstall = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { cluster, appId } = c.req.valid("param");
    return c.json(await updateInstall(ctxOf(c), cluster, appId, c.req.valid("json")), 200);
  });

/** `POST /v1/clusters/{cluster}/installs`: install a package, its dependencies first. */
import { InstallBody, InstallResultSchema } from "../../contract/installs.js";
import type { GatewayApp } from "../../env.js";
import { installPackage } from "../../services/installs/install.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { ClusterParams } from "./params.js";

const route = defineRoute("operator", {
  method: "post",
  path: "/v1/clusters/{cluster}/installs",
  tags: ["installs"],
  summary: "Install a package on a cluster",
  description:
    "Chooses the version (exact or semver range; latest stable by default), installs missing dependencies first (reusing installs whose version satisfies the range), validates the options, renders the plan and bumps the cluster's desired-state revision — all or nothing.",
  request: {
    params: ClusterParams,
    body: { content: { "application/json": { schema: InstallBody } }, required: true },
  },
  responses: { 201: json(InstallResultSchema, "the new install and its dependencies"), ...errorResponses },
});

export const registerCreateInstall = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await installPackage(ctxOf(c), c.req.valid("param").cluster, c.req.valid("json")), 201),
  );

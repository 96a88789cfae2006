/** `GET /v1/packages/{name}/versions`: every version of a package, newest first. */
import { PackageParam, PackageVersionsSchema } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { listVersions } from "../../services/catalog/packages.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/packages/{name}/versions",
  tags: ["packages"],
  summary: "List the versions of a package",
  request: { params: PackageParam },
  responses: {
    200: json(PackageVersionsSchema, "versions with their repository, semver view and digest"),
    ...errorResponses,
  },
});

export const registerListVersions = (app: GatewayApp) =>
  app.openapi(route, async (c) => c.json(await listVersions(ctxOf(c), c.req.valid("param").name), 200));

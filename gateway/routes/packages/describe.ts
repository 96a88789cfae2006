/** `GET /v1/packages/{name}`: one version of a package in full (`?version=` exact, range or latest). */
import { DescribeQuery, PackageDescriptionSchema, PackageParam } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { describePackage } from "../../services/catalog/packages.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/packages/{name}",
  tags: ["packages"],
  summary: "Describe a version of a package",
  description:
    "`version` may be an exact version string, a semver range (`^1.2`, `>=2 <3`) or omitted for the latest (the highest semver version that is not a prerelease).",
  request: { params: PackageParam, query: DescribeQuery },
  responses: {
    200: json(
      PackageDescriptionSchema,
      "metadata, config schema, resource, notes, templates and upgrade paths",
    ),
    ...errorResponses,
  },
});

export const registerDescribePackage = (app: GatewayApp) =>
  app.openapi(route, async (c) =>
    c.json(await describePackage(ctxOf(c), c.req.valid("param").name, c.req.valid("query")), 200),
  );

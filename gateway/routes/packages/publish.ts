/** `POST /v1/packages`: publish a Flotilla bundle (.tgz) into the "local" repository. */
import { requireUser } from "../../auth/principal.js";
import { GZIP_MEDIA_TYPE, PublishResultSchema } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { ApiError } from "../../errors.js";
import { publishBundle } from "../../services/catalog/publish.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { type BodyContent, sizeResponses } from "../repositories/upload.js";

const BUNDLE_TYPES = new Set([GZIP_MEDIA_TYPE, "application/x-gzip", "application/octet-stream"]);
const binary = {
  schema: { type: "string" as const, format: "binary", description: "a Flotilla bundle (.tgz)" },
};
const bundleContent: BodyContent = { [GZIP_MEDIA_TYPE]: binary, "application/octet-stream": binary };

const route = defineRoute("operator", {
  method: "post",
  path: "/v1/packages",
  tags: ["packages"],
  summary: "Publish a bundle",
  description:
    "The bundle's digest is its identity. Publishing the same bundle again answers 200 and changes nothing; another bundle with an already published name and version answers 409 VERSION_EXISTS naming both digests.",
  request: { body: { content: bundleContent, required: true } },
  responses: {
    200: json(PublishResultSchema, "already published: nothing changed"),
    201: json(PublishResultSchema, "published"),
    ...errorResponses,
    ...sizeResponses,
  },
});

export const registerPublishPackage = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const ctx = ctxOf(c);
    requireUser(ctx.principal, "operator"); // before reading the body
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!BUNDLE_TYPES.has(type)) {
      throw new ApiError(
        "UNSUPPORTED_MEDIA_TYPE",
        `a bundle is sent as ${GZIP_MEDIA_TYPE} (or application/octet-stream), not ${type || "a body without a content type"}`,
      );
    }
    const result = await publishBundle(ctx, new Uint8Array(await c.req.arrayBuffer()));
    return c.json(result, result.created ? 201 : 200);
  });

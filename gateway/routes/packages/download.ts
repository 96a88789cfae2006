/** `GET /v1/bundles/{digest}`: the archive of a published bundle, byte for byte. */
import { DigestParam, GZIP_MEDIA_TYPE } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { downloadBundle } from "../../services/catalog/download.js";
import { ctxOf, defineRoute, errorResponses } from "../define.js";

const route = defineRoute("viewer", {
  method: "get",
  path: "/v1/bundles/{digest}",
  tags: ["packages"],
  summary: "Download a published bundle by digest",
  request: { params: DigestParam },
  responses: {
    200: {
      description: "the .tgz whose sha256 is the digest",
      content: { [GZIP_MEDIA_TYPE]: { schema: { type: "string", format: "binary" } } },
    },
    ...errorResponses,
  },
});

/** Keeps a file name to characters every client and file system accepts. */
const safeFileName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");

export const registerDownloadBundle = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const { digest } = c.req.valid("param");
    const bundle = await downloadBundle(ctxOf(c), digest);
    return c.body(bundle.bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": GZIP_MEDIA_TYPE,
      "content-disposition": `attachment; filename="${safeFileName(`${bundle.name}-${bundle.version}`)}.tgz"`,
      // The digest names these exact bytes, so they can be cached for good.
      etag: `"${digest}"`,
      "cache-control": "private, max-age=31536000, immutable",
    });
  });

/** `POST /v1/repositories/{repo}/refresh`: re-import from a new upload, or from the repository's URL. */
import { requireUser } from "../../auth/principal.js";
import { RepositoryImportSchema, RepositoryParam } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { badRequest } from "../../errors.js";
import { refreshRepository } from "../../services/catalog/repository-refresh.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { readUpload, sizeResponses, uploadContent } from "./upload.js";

const route = defineRoute("admin", {
  method: "post",
  path: "/v1/repositories/{repo}/refresh",
  tags: ["repositories"],
  summary: "Refresh a repository",
  description:
    "With a body (index or .tgz, as for adding), imports that; without one, fetches the repository's URL again (when the gateway allows fetching). The old revisions are replaced in one step.",
  request: { params: RepositoryParam, body: { content: uploadContent, required: false } },
  responses: {
    200: json(RepositoryImportSchema, "the repository, how many revisions went in, and what failed"),
    ...errorResponses,
    ...sizeResponses,
  },
});

export const registerRefreshRepository = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const ctx = ctxOf(c);
    requireUser(ctx.principal, "admin"); // before reading a large body
    const upload = await readUpload(c);
    if (upload && "byUrl" in upload) {
      throw badRequest("a refresh takes an index or a .tgz in the body, or no body to fetch the URL again");
    }
    return c.json(await refreshRepository(ctx, c.req.valid("param").repo, upload?.source), 200);
  });

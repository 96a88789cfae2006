/** `POST /v1/repositories`: add a repository from an uploaded index or tree, or by URL. */
import { requireUser } from "../../auth/principal.js";
import { AddRepositoryQuery, RepositoryImportSchema } from "../../contract/catalog.js";
import type { GatewayApp } from "../../env.js";
import { badRequest } from "../../errors.js";
import { addRepository } from "../../services/catalog/repository-import.js";
import { ctxOf, defineRoute, errorResponses, json } from "../define.js";
import { readUpload, sizeResponses, uploadContent } from "./upload.js";

const route = defineRoute("admin", {
  method: "post",
  path: "/v1/repositories",
  tags: ["repositories"],
  summary: "Add a repository",
  description:
    "Upload a built Universe index or a Universe tree (.tgz) with `?name=` (and `?index=` for its place in the priority order), or send `{name, url}` to have the gateway fetch it (only when FLOTILLA_ALLOW_REPOSITORY_URLS=true). Revisions that fail are listed in `failed`; the rest are imported together or not at all.",
  request: { query: AddRepositoryQuery, body: { content: uploadContent, required: true } },
  responses: {
    201: json(RepositoryImportSchema, "the repository, how many revisions went in, and what failed"),
    ...errorResponses,
    ...sizeResponses,
  },
});

export const registerAddRepository = (app: GatewayApp) =>
  app.openapi(route, async (c) => {
    const ctx = ctxOf(c);
    // Refuse before reading a body that may be tens of megabytes.
    requireUser(ctx.principal, "admin");
    const query = c.req.valid("query");
    const upload = await readUpload(c);
    if (!upload) throw badRequest("send the index, the .tgz, or {name, url} in the body", "EMPTY_BODY");
    if ("byUrl" in upload) {
      const { name, url, index } = upload.byUrl;
      if (query.name !== undefined && query.name !== name)
        throw badRequest(`the query names ${query.name} but the body names ${name}; give the name once`);
      const source = { kind: "url" as const, url };
      return c.json(await addRepository(ctx, { name, index: index ?? query.index, source }), 201);
    }
    if (query.name === undefined)
      throw badRequest("name the repository: POST /v1/repositories?name=<name>", "NAME_REQUIRED");
    return c.json(
      await addRepository(ctx, { name: query.name, index: query.index, source: upload.source }),
      201,
    );
  });

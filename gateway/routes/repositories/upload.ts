/**
 * Reading what was sent to add or refresh a repository, by content type: a built Universe
 * index (`application/json` or the Universe media type, v3–v5), a Universe tree as a `.tgz`
 * (`application/gzip`), or — `application/json` without `packages` — a request to add by URL.
 * The bodies are read raw rather than through a route schema because one route takes all
 * three; the OpenAPI document describes them with the plain schemas below.
 */
import type { RouteConfig } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import { UNIVERSE_INDEX_MEDIA_TYPE } from "../../../universe/import/index.js";
import { AddRepositoryByUrlBody, GZIP_MEDIA_TYPE, UNIVERSE_REPO_MEDIA_TYPE } from "../../contract/catalog.js";
import type { GatewayEnv } from "../../env.js";
import { ApiError, badRequest } from "../../errors.js";
import { PROBLEM_JSON } from "../../problem.js";
import {
  parseIndexText,
  type RepositorySource,
  readUtf8Text,
} from "../../services/catalog/repository-source.js";
import { ProblemSchema } from "../define.js";

export type Upload = { source: RepositorySource } | { byUrl: z.infer<typeof AddRepositoryByUrlBody> };

const GZIP_TYPES = new Set([GZIP_MEDIA_TYPE, "application/x-gzip", "application/x-tar+gzip"]);

/** 400 listing each failing field, in the shape the app's schema hook uses. */
export function invalidRequest(error: z.ZodError): ApiError {
  const issues = error.issues.map((i) => `${i.path.length ? `/${i.path.join("/")}` : "/"}: ${i.message}`);
  return new ApiError("VALIDATION", `invalid request: ${issues.join("; ")}`, "REQUEST_INVALID", { issues });
}

const unsupported = (type: string) =>
  new ApiError(
    "UNSUPPORTED_MEDIA_TYPE",
    `cannot add a repository from ${type || "a body without a content type"}: send a Universe index as application/json (or ${UNIVERSE_REPO_MEDIA_TYPE}), a Universe tree as ${GZIP_MEDIA_TYPE}, or {"name", "url"} as application/json`,
  );

/** The upload, or undefined when the request has no body at all (a refresh from the URL). */
export async function readUpload(c: Context<GatewayEnv>): Promise<Upload | undefined> {
  const type = c.req.header("content-type") ?? "";
  const essence = type.split(";")[0]?.trim().toLowerCase() ?? "";
  const universeType = essence === "application/vnd.dcos.universe.repo+json";
  if (universeType || essence === "application/json") {
    // JSON is decoded as it streams in (readUtf8Text says why).
    const text = await readUtf8Text(c.req.raw.body);
    if (text.length === 0) throw emptyBody();
    if (universeType) {
      if (!UNIVERSE_INDEX_MEDIA_TYPE.test(type)) {
        throw new ApiError(
          "UNSUPPORTED_MEDIA_TYPE",
          `${type}: only Universe index versions v3, v4 and v5 are supported (e.g. ${UNIVERSE_REPO_MEDIA_TYPE})`,
        );
      }
      return { source: { kind: "index", json: parseIndexText(text) } };
    }
    const json = parseIndexText(text);
    if (typeof json === "object" && json !== null && "packages" in json)
      return { source: { kind: "index", json } };
    const parsed = AddRepositoryByUrlBody.safeParse(json);
    if (!parsed.success) throw invalidRequest(parsed.error);
    return { byUrl: parsed.data };
  }
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.byteLength === 0) {
    if (!type) return undefined;
    throw emptyBody();
  }
  if (GZIP_TYPES.has(essence)) return { source: { kind: "tree", archive: bytes } };
  throw unsupported(type);
}

const emptyBody = () =>
  badRequest("the body is empty: send the index, the .tgz, or {name, url}", "EMPTY_BODY");

/** A request body's content map, for bodies read raw and only described in the document. */
export type BodyContent = NonNullable<NonNullable<RouteConfig["request"]>["body"]>["content"];

/** What the OpenAPI document says the upload routes accept. */
export const uploadContent: BodyContent = {
  "application/json": {
    schema: {
      description:
        'A built Universe index ({"packages": [...]}, the form a Universe server hands out), or {"name", "url", "index"?} to add by URL (only when the gateway allows fetching URLs).',
      oneOf: [
        { type: "object", required: ["packages"], properties: { packages: { type: "array" } } },
        z.toJSONSchema(AddRepositoryByUrlBody) as Record<string, unknown>,
      ],
    },
  },
  [UNIVERSE_REPO_MEDIA_TYPE]: {
    schema: { type: "object", required: ["packages"], properties: { packages: { type: "array" } } },
  },
  [GZIP_MEDIA_TYPE]: {
    schema: {
      type: "string",
      format: "binary",
      description: "A Universe tree (packages/<L>/<name>/<revision>/…, or repo/packages/…) as a .tgz",
    },
  },
};

export const sizeResponses = {
  413: {
    description: "the body or archive is too large",
    content: { [PROBLEM_JSON]: { schema: ProblemSchema } },
  },
  415: { description: "unsupported content type", content: { [PROBLEM_JSON]: { schema: ProblemSchema } } },
} as const;

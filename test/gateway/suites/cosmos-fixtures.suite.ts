/**
 * Helpers of the Cosmos suites (not a suite itself): calling a cluster's Cosmos endpoints the way
 * old clients did — vendor media types, `Authorization: token=…` — and reading Cosmos answers
 * and errors. Runtime-neutral (no node: imports).
 */
import { expect } from "vitest";
import { ADMIN_TOKEN, type Harness, post, unique } from "../harness.js";

export const ERROR_MEDIA_TYPE = "application/vnd.dcos.package.error+json;charset=utf-8;version=v1";

/** The vendor media kind of each endpoint below a cluster's base URL. */
const KIND: Record<string, string> = {
  "/package/search": "package.search",
  "/package/describe": "package.describe",
  "/package/list-versions": "package.list-versions",
  "/package/render": "package.render",
  "/package/install": "package.install",
  "/package/uninstall": "package.uninstall",
  "/package/list": "package.list",
  "/package/repository/list": "package.repository.list",
  "/package/repository/add": "package.repository.add",
  "/package/repository/delete": "package.repository.delete",
  "/cosmos/service/describe": "service.describe",
  "/cosmos/service/update": "service.update",
};

/** `application/vnd.dcos.<kind>-<request|response>+json;charset=utf-8;version=<v>`. */
export const media = (path: string, dir: "request" | "response", version = "v1") =>
  `application/vnd.dcos.${KIND[path]}-${dir}+json;charset=utf-8;version=${version}`;

export interface CallOptions {
  /** An API token sent as `token=…`; null sends no Authorization header. */
  token?: string | null;
  /** The Accept header; null sends none. Defaults to the endpoint's response type, `version`. */
  accept?: string | null;
  version?: string;
  contentType?: string;
  /** The raw body, instead of JSON.stringify(body). */
  raw?: string;
}

/** POSTs `body` to `<base>{path}` of `cluster` as a DC/OS client would. */
export function cosmos(h: Harness, cluster: string, path: string, body: unknown, o: CallOptions = {}) {
  const { token = ADMIN_TOKEN, version = path === "/package/describe" ? "v3" : "v1" } = o;
  const headers: Record<string, string> = { "content-type": o.contentType ?? media(path, "request") };
  if (token !== null) headers.authorization = `token=${token}`;
  const accept = o.accept === undefined ? media(path, "response", version) : o.accept;
  if (accept !== null) headers.accept = accept;
  return h.request(`/cosmos/clusters/${cluster}${path}`, {
    method: "POST",
    body: o.raw ?? JSON.stringify(body),
    headers,
    token: null,
  });
}

/** The body of a 200 answer, checking it came with the endpoint's response media type. */
export async function ok<T = Record<string, unknown>>(
  res: Response,
  path: string,
  version?: string,
): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  const v = version ?? (path === "/package/describe" ? "v3" : "v1");
  expect(res.headers.get("content-type")).toBe(media(path, "response", v));
  return JSON.parse(text) as T;
}

export interface CosmosErrorBody {
  type: string;
  message: string;
  data?: Record<string, unknown>;
}

/** The body of a Cosmos error, checking its status, type and media type. */
export async function cosmosError(res: Response, status: number, type: string): Promise<CosmosErrorBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe(ERROR_MEDIA_TYPE);
  const body = JSON.parse(text) as CosmosErrorBody;
  expect(body.type, text).toBe(type);
  expect(typeof body.message).toBe("string");
  return body;
}

/** Shorthand: call, then read the 200 answer. */
export const call = async <T = Record<string, unknown>>(
  h: Harness,
  cluster: string,
  path: string,
  body: unknown,
  o: CallOptions = {},
) => ok<T>(await cosmos(h, cluster, path, body, o), path, o.version);

export async function newCluster(h: Harness): Promise<{ id: string; name: string }> {
  return h.json("/v1/clusters", post({ name: unique("cos") }), 201);
}

/** The label a rendered app carries, base64-decoded and parsed. */
export const decodeLabel = (labels: Record<string, string>, key: string): unknown =>
  JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(labels[key] ?? ""), (c) => c.charCodeAt(0))));

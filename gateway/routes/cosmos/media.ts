/**
 * Vendor media types on the Cosmos routes. `Accept` picks the response type and its version:
 * absent, `*\/*` or `application/*` give the endpoint's default version; `application/json`
 * gives the default body as plain JSON (for curl); the endpoint's own vendor type gives the
 * version it names, if it is one this gateway speaks. Anything else is 406 — Cosmos itself
 * answered 400 `not_valid` there; the type and data are kept, the status is HTTP's. Request
 * bodies may be the endpoint's vendor request type or plain `application/json`.
 */
import { type VendorType, withVersion } from "../../contract/cosmos.js";
import { CosmosError } from "../../services/cosmos/errors.js";

interface MediaType {
  /** `type/subtype`, lower-cased. */
  essence: string;
  params: Record<string, string>;
}

export function parseMediaType(text: string): MediaType {
  const [essence = "", ...rest] = text.split(";");
  const params: Record<string, string> = {};
  for (const part of rest) {
    const at = part.indexOf("=");
    if (at < 0) continue;
    params[part.slice(0, at).trim().toLowerCase()] = part
      .slice(at + 1)
      .trim()
      .replace(/^"(.*)"$/, "$1");
  }
  return { essence: essence.trim().toLowerCase(), params };
}

export interface Negotiated {
  contentType: string;
  /** The version of the response body (`v1`, `v3`, …). */
  version: string;
}

const qOf = (q: string | undefined) => {
  if (q === undefined) return 1;
  const n = Number(q);
  return Number.isFinite(n) ? n : 1;
};

const listed = (t: VendorType) => t.versions.map((v) => withVersion(t.type, v));

/**
 * The response media type for `accept`; throws a 406 CosmosError naming what is on offer.
 * @example negotiate("application/vnd.dcos.package.describe-response+json;version=v2", COSMOS_MEDIA.describe.response)
 */
export function negotiate(accept: string | undefined, response: VendorType): Negotiated {
  const [first] = response.versions;
  if (first === undefined) throw new Error(`${response.type} lists no versions`);
  const fallback = { contentType: withVersion(response.type, first), version: first };
  if (accept === undefined || accept.trim() === "") return fallback;
  const ranges = accept
    .split(",")
    .map((text, index) => ({ ...parseMediaType(text), index }))
    .map((r) => ({ ...r, q: qOf(r.params.q) }))
    .filter((r) => r.essence !== "" && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const range of ranges) {
    if (range.essence === "*/*" || range.essence === "application/*") return fallback;
    if (range.essence === "application/json")
      return { contentType: "application/json;charset=utf-8", version: first };
    if (range.essence !== response.type) continue;
    const version = range.params.version;
    if (version === undefined) return fallback;
    if (response.versions.includes(version))
      return { contentType: withVersion(response.type, version), version };
  }
  throw new CosmosError(
    "not_valid",
    `Accept [${accept}] allows nothing this endpoint answers with: ${listed(response).join(", ")} (or application/json)`,
    406,
    {
      invalidItem: { type: "header", name: "Accept" },
      specified: accept.split(",").map((s) => s.trim()),
      available: listed(response),
    },
  );
}

/** Throws a 415 CosmosError unless the body is the endpoint's request type or plain JSON. */
export function checkContentType(header: string | undefined, request: VendorType): void {
  // Cosmos required the header; a client that sends none still means JSON.
  if (header === undefined || header.trim() === "") return;
  const { essence, params } = parseMediaType(header);
  if (essence === "application/json") return;
  if (essence === request.type && (params.version === undefined || request.versions.includes(params.version)))
    return;
  const supported = [...listed(request), "application/json"];
  throw new CosmosError(
    "UnsupportedContentType",
    `Unsupported Content-Type: ${header} Accept: [${supported.join(", ")}]`,
    415,
    { supported, actual: header },
  );
}

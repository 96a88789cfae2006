/**
 * Turns what an admin handed over — a built Universe JSON index, a Universe tree as a `.tgz`,
 * or a URL the gateway may fetch — into the library's import result (good revisions plus
 * per-revision failures). Nothing here writes anything: bad input is refused before any row
 * is touched. Fetching is off unless the configuration turns it on, so a default gateway
 * never reaches out to the network on an admin's behalf.
 */
import { type BundleLimits, unpackBundle } from "../../../universe/bundle/index.js";
import { fromUtf8 } from "../../../universe/encoding.js";
import {
  type ImportResult,
  importUniverseIndex,
  memoryTree,
  UNIVERSE_INDEX_MEDIA_TYPE,
} from "../../../universe/import/index.js";
import { findPackagesDir, importUniverseTree } from "../../../universe/import/tree.js";
import { ApiError, badRequest } from "../../errors.js";

export type RepositorySource =
  | { kind: "index"; json: unknown }
  | { kind: "tree"; archive: Uint8Array }
  | { kind: "url"; url: string };

export interface LoadedRepository {
  kind: "universe-index" | "universe-tree";
  /** The URL it came from; null for uploads. */
  uri: string | null;
  result: ImportResult;
}

export interface SourceOptions {
  allowUrls: boolean;
  fetch?: typeof fetch;
  /** How long a fetch may take, headers and body together. */
  timeoutMs?: number;
}

const MiB = 1024 * 1024;

/**
 * A whole repository is far bigger than one package revision: the real Universe tree is ~8,000
 * tar entries and ~40 MB unpacked. These hold it with room to spare while still stopping a
 * gzip bomb long before it fills memory.
 */
export const REPOSITORY_ARCHIVE_LIMITS: BundleLimits = {
  maxArchiveBytes: 64 * MiB,
  maxEntries: 20_000,
  maxFileBytes: 8 * MiB,
  maxTotalBytes: 128 * MiB,
};

const DEFAULT_TIMEOUT_MS = 60_000;

/** Refusal for a URL add on a gateway that does not fetch; says how to turn fetching on. */
export const urlsNotAllowed = () =>
  badRequest(
    "this gateway does not fetch repository URLs: upload the index (application/json) or the tree (.tgz, application/gzip) instead, or start the gateway with FLOTILLA_ALLOW_REPOSITORY_URLS=true",
    "REPOSITORY_URLS_DISABLED",
  );

/** Parses a JSON index from text; 400 when it is not JSON. */
export function parseIndexText(text: string, where = "the body"): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(
      `${where} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`,
      "INVALID_JSON",
    );
  }
}

const notUtf8 = (where: string) =>
  badRequest(`${where} is not valid JSON: it is not UTF-8 text`, "INVALID_JSON");

/** Parses a JSON index from bytes; 400 when it is not UTF-8 JSON. */
export function parseIndexBytes(bytes: Uint8Array, where = "the body"): unknown {
  let text: string;
  try {
    text = fromUtf8(bytes);
  } catch {
    throw notUtf8(where);
  }
  return parseIndexText(text, where);
}

/**
 * A request body as UTF-8 text, decoded chunk by chunk as it arrives. An index is tens of
 * megabytes: reading it into one buffer first would hold it twice, and on Node a buffer that
 * large also leaves the process's allocator keeping that much memory long after it is freed.
 * 400 when the bytes are not UTF-8. The size limit is the app's body limit, applied upstream.
 */
export async function readUtf8Text(
  body: ReadableStream<Uint8Array> | null,
  where = "the body",
): Promise<string> {
  if (!body) return "";
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const parts: string[] = [];
  try {
    for await (const chunk of body) parts.push(decoder.decode(chunk, { stream: true }));
    parts.push(decoder.decode());
  } catch (e) {
    if (e instanceof TypeError && /encod|decod/i.test(e.message)) throw notUtf8(where);
    throw e;
  }
  return parts.join("");
}

/** Reads the source into an import result. Throws ApiError / UniverseError for bad input. */
export async function loadRepository(
  source: RepositorySource,
  options: SourceOptions,
): Promise<LoadedRepository> {
  switch (source.kind) {
    case "index":
      return { kind: "universe-index", uri: null, result: importUniverseIndex(source.json) };
    case "tree":
      return { kind: "universe-tree", uri: null, result: await importTree(source.archive) };
    case "url": {
      if (!options.allowUrls) throw urlsNotAllowed();
      const { bytes, contentType } = await fetchRepository(source.url, options);
      if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
        return { kind: "universe-tree", uri: source.url, result: await importTree(bytes) };
      }
      if (bytes[0] === 0x50 && bytes[1] === 0x4b) {
        throw badRequest(
          `${source.url} is a zip file (a Universe v2 repository), which is not supported: point at the built JSON index (repo-up-to-1.x.json or the v4/v5 index) or a .tgz of the tree`,
          "REPOSITORY_FORMAT_UNSUPPORTED",
        );
      }
      if (
        /^application\/vnd\.dcos\.universe\.repo\+json/i.test(contentType) &&
        !UNIVERSE_INDEX_MEDIA_TYPE.test(contentType)
      ) {
        throw badRequest(
          `${source.url} answered with ${contentType}; only Universe index versions v3, v4 and v5 are supported`,
          "REPOSITORY_FORMAT_UNSUPPORTED",
        );
      }
      const json = parseIndexBytes(bytes, `the document at ${source.url}`);
      return { kind: "universe-index", uri: source.url, result: importUniverseIndex(json) };
    }
  }
}

async function importTree(archive: Uint8Array): Promise<ImportResult> {
  let { files } = await unpackBundle(archive, REPOSITORY_ARCHIVE_LIMITS);
  // Unpacking strips a folder that holds everything, as for a bundle. A tree packed from inside
  // the repository (`packages/T/…` only) loses its `packages/` that way; put it back.
  if ((await findPackagesDir(memoryTree(files))) === null && onlyLetterFolders(files)) {
    files = new Map([...files].map(([path, bytes]) => [`packages/${path}`, bytes]));
  }
  return importUniverseTree(memoryTree(files));
}

const onlyLetterFolders = (files: ReadonlyMap<string, Uint8Array>) =>
  files.size > 0 && [...files.keys()].every((path) => /^[A-Z]\//.test(path));

/** GETs the URL with a deadline and a byte cap; a failure is a 400 that names the URL. */
export async function fetchRepository(
  url: string,
  options: SourceOptions,
): Promise<{ bytes: Uint8Array; contentType: string }> {
  const doFetch = options.fetch ?? fetch;
  const failed = (why: string) =>
    badRequest(`could not fetch the repository at ${url}: ${why}`, "REPOSITORY_FETCH_FAILED", { url });
  let res: Response;
  try {
    res = await doFetch(url, {
      redirect: "follow",
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      headers: {
        accept:
          "application/vnd.dcos.universe.repo+json;version=v4, application/json;q=0.9, application/gzip;q=0.8",
      },
    });
  } catch (e) {
    throw failed(e instanceof Error ? e.message : String(e));
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => {});
    throw failed(`it answered ${res.status} ${res.statusText}`.trim());
  }
  const max = REPOSITORY_ARCHIVE_LIMITS.maxArchiveBytes;
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = res.body?.getReader();
  try {
    for (;;) {
      const next = reader ? await reader.read() : { done: true as const, value: undefined };
      if (next.done) break;
      total += next.value.byteLength;
      if (total > max) {
        await reader?.cancel().catch(() => {});
        throw new ApiError("PAYLOAD_TOO_LARGE", `the repository at ${url} is larger than ${max} bytes`);
      }
      chunks.push(next.value);
    }
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw failed(e instanceof Error ? e.message : String(e));
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  if (total === 0) throw failed("the response was empty");
  return { bytes, contentType: res.headers.get("content-type") ?? "" };
}

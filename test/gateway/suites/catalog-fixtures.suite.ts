/**
 * Test data and helpers of the catalog suites (not a suite itself): the Universe time-server
 * package rebuilt inline, index entries and trees built from it in code, tokens of each role,
 * and a hand-made hostile archive. Runtime-neutral (no node: imports, no Buffer, no fs).
 */

import { eq } from "drizzle-orm";
import { bundleChunks } from "../../../gateway/db/schema.js";
import { toIndexEntry } from "../../../universe/import/index-entry.js";
import { parseRevisionFiles } from "../../../universe/import/revision.js";
import { type Harness, post, unique } from "../harness.js";

/** A lower-case word no other test uses, to find exactly this test's packages in searches. */
export const word = (prefix = "zq") => unique(prefix).replace("-", "");

export interface PackageSpec {
  name: string;
  version?: string;
  packagingVersion?: string;
  description?: string;
  tags?: string[];
  extra?: Record<string, unknown>;
}

/** The files of Universe's time-server package (packages/T/time-server/0), renamed as asked. */
export function timeServerFiles(spec: PackageSpec): Record<string, string> {
  const pkg = {
    packagingVersion: spec.packagingVersion ?? "4.0",
    name: spec.name,
    version: spec.version ?? "1.0.0",
    maintainer: "https://github.com/mesosphere/universe",
    description:
      spec.description ??
      "This is a simple python http server that displays a webpage which says the current time at the server location.",
    tags: spec.tags ?? ["http", "time-server", "basichttp"],
    ...spec.extra,
  };
  const config = {
    properties: {
      service: {
        type: "object",
        description: "DC/OS service configuration properties",
        properties: {
          name: { description: "Name of this service instance", type: "string", default: spec.name },
          cpus: { description: "CPU shares", type: "number", default: 0.1, minimum: 0.1 },
          mem: { description: "Memory", type: "number", default: 256.0, minimum: 128.0 },
        },
      },
    },
  };
  const marathon = `{
  "id": "{{service.name}}",
  "cpus": {{service.cpus}},
  "mem": {{service.mem}},
  "instances": 1,
  "container": {"type": "DOCKER", "docker": {"image": "{{resource.assets.container.docker.timeserverimage}}", "network": "HOST"}},
  "portDefinitions": [{"port": 0, "protocol": "tcp"}],
  "labels": {"DCOS_SERVICE_NAME": "{{service.name}}", "DCOS_SERVICE_PORT_INDEX": "0", "DCOS_SERVICE_SCHEME": "http"},
  "healthChecks": [{"path": "/", "portIndex": 0, "protocol": "HTTP", "gracePeriodSeconds": 5, "intervalSeconds": 60, "timeoutSeconds": 10, "maxConsecutiveFailures": 3}]
}`;
  const resource = {
    assets: { container: { docker: { timeserverimage: "docker-user-name/time-server:part1" } } },
  };
  return {
    "package.json": JSON.stringify(pkg, null, 2),
    "config.json": JSON.stringify(config, null, 2),
    "marathon.json.mustache": marathon,
    "resource.json": JSON.stringify(resource, null, 2),
  };
}

/** One element of a built Universe index, as a Universe server hands it out. */
export function indexEntry(spec: PackageSpec, releaseVersion: number): Record<string, unknown> {
  const def = parseRevisionFiles(new Map(Object.entries(timeServerFiles(spec))), { releaseVersion });
  return toIndexEntry(def);
}

/** Files of a Universe tree: `packages/<L>/<name>/<rev>/…` for each spec. */
export function treeFiles(revisions: { spec: PackageSpec; rev: number | string }[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const { spec, rev } of revisions) {
    const dir = `packages/${spec.name[0]?.toUpperCase()}/${spec.name}/${rev}`;
    for (const [file, body] of Object.entries(timeServerFiles(spec))) files[`${dir}/${file}`] = body;
  }
  return files;
}

export const upload = (body: Uint8Array | string, type: string, token?: string | null) => ({
  method: "POST",
  body: body as Uint8Array<ArrayBuffer> | string,
  headers: { "content-type": type },
  ...(token !== undefined && { token }),
});

export const GZIP = "application/gzip";

export interface ImportReport {
  repository: {
    id: string;
    name: string;
    index: number;
    revisions: number;
    kind: string;
    uri: string | null;
  };
  imported: number;
  failed: { path: string; reason: string }[];
  warnings: string[];
}

export interface RepositoryRow {
  id: string;
  name: string;
  index: number;
  revisions: number;
}

export const listRepositories = async (h: Harness) =>
  (await h.json<{ repositories: RepositoryRow[] }>("/v1/repositories")).repositories;

export const versionsOf = (h: Harness, name: string) =>
  h.json<{ versions: { version: string; releaseVersion: number; repository: { name: string } }[] }>(
    `/v1/packages/${name}/versions`,
  );

/** Adds a repository from an index object and expects 201. */
export function addIndex(h: Harness, name: string, packages: unknown[], query = ""): Promise<ImportReport> {
  return h.json<ImportReport>(`/v1/repositories?name=${name}${query}`, post({ packages }), 201);
}

/** A new API token of `role`, optionally limited to clusters. */
export async function tokenOf(h: Harness, role: "viewer" | "operator" | "admin", clusters?: string[]) {
  const body = { name: unique(role), role, ...(clusters && { clusters }) };
  return (await h.json<{ token: string }>("/v1/tokens", post(body), 201)).token;
}

/** Stored chunks of a bundle, read through the harness's database seam. */
export async function chunkCount(h: Harness, digest: string): Promise<number> {
  if (!h.db) throw new Error("this harness has no database seam");
  return (await h.db.select().from(bundleChunks).where(eq(bundleChunks.digest, digest))).length;
}

export async function gzip(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A gzipped tar written by hand, so that it can hold what packBundle refuses to write (an
 * entry that climbs out with `..`): the kind of archive a hostile publisher would send.
 */
export async function handMadeTarGz(entries: { name: string; body: string }[]): Promise<Uint8Array> {
  const enc = new TextEncoder();
  const blocks: Uint8Array[] = [];
  for (const { name, body } of entries) {
    const data = enc.encode(body);
    const header = new Uint8Array(512);
    const put = (at: number, text: string) => header.set(enc.encode(text), at);
    put(0, name);
    put(100, "0000644\0");
    put(108, "0000000\0");
    put(116, "0000000\0");
    put(124, `${data.byteLength.toString(8).padStart(11, "0")}\0`);
    put(136, "00000000000\0");
    put(148, "        ");
    put(156, "0");
    put(257, "ustar\0");
    put(263, "00");
    const sum = header.reduce((a, b) => a + b, 0);
    put(148, `${sum.toString(8).padStart(6, "0")}\0 `);
    blocks.push(header, data, new Uint8Array((512 - (data.byteLength % 512)) % 512));
  }
  blocks.push(new Uint8Array(1024));
  const tar = new Uint8Array(blocks.reduce((n, b) => n + b.byteLength, 0));
  let at = 0;
  for (const b of blocks) {
    tar.set(b, at);
    at += b.byteLength;
  }
  return gzip(tar);
}

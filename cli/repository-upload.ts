/**
 * What `repo add` and `repo import` send for a path: a Universe tree folder packed as a .tgz,
 * a .tgz as it is, or a built JSON index as it is. Checked enough locally to give a clear
 * usage error; the gateway checks every revision.
 */
import { open, readFile, stat } from "node:fs/promises";
import { GZIP_MEDIA_TYPE } from "../gateway/contract/catalog.js";
import { packBundle } from "../universe/bundle/index.js";
import type { FileTree } from "../universe/import/files.js";
import { findPackagesDir } from "../universe/import/index.js";
import { usageError } from "./errors.js";
import { nodeFileTree } from "./node-tree.js";

export interface RepositoryUpload {
  kind: "tree" | "archive" | "index";
  body: Uint8Array;
  contentType: string;
}

async function collect(
  tree: FileTree,
  dir: string,
  into: Record<string, Uint8Array>,
  as: string,
): Promise<void> {
  for (const entry of await tree.list(dir)) {
    if (entry.name.startsWith(".")) continue;
    const path = `${dir}/${entry.name}`;
    const name = `${as}/${entry.name}`;
    if (entry.kind === "dir") await collect(tree, path, into, name);
    else into[name] = await tree.read(path);
  }
}

/** Packs the `packages/` folder of a Universe tree (`<dir>/packages` or `<dir>/repo/packages`). */
export async function packUniverseTree(dir: string): Promise<Uint8Array> {
  const tree = nodeFileTree(dir);
  const packagesDir = await findPackagesDir(tree);
  if (packagesDir === null) {
    throw usageError(`${dir}: not a Universe repository (no packages/<L>/<name>/<revision>/ folders)`);
  }
  const files: Record<string, Uint8Array> = {};
  await collect(tree, packagesDir, files, "packages");
  return (await packBundle(files)).archive;
}

export async function repositoryUpload(path: string): Promise<RepositoryUpload> {
  const info = await stat(path).catch(() => {
    throw usageError(`${path}: no such file or directory`);
  });
  if (info.isDirectory()) {
    return { kind: "tree", body: await packUniverseTree(path), contentType: GZIP_MEDIA_TYPE };
  }
  const head = new Uint8Array(2);
  const fh = await open(path, "r");
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const body = new Uint8Array(await readFile(path));
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: "archive", body, contentType: GZIP_MEDIA_TYPE };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch {
    throw usageError(`${path}: neither a Universe tree folder, a .tgz, nor a JSON index`);
  }
  if (
    typeof json !== "object" ||
    json === null ||
    !Array.isArray((json as { packages?: unknown }).packages)
  ) {
    throw usageError(`${path}: a Universe index is a JSON object with a "packages" array`);
  }
  return { kind: "index", body, contentType: "application/json" };
}

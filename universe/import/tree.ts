/**
 * Imports a Universe repository tree: `packages/<LETTER>/<name>/<revision>/`, found either at
 * the tree's root, under `repo/`, or given directly. Each revision is checked on its own; one
 * bad revision becomes a failure with its path and reason and never stops the rest.
 */
import { UniverseError } from "../errors.js";
import { type FileTree, joinPath } from "./files.js";
import { type ImportResult, reasonOf } from "./result.js";
import { parseRevisionFiles, type RevisionFiles } from "./revision.js";

/** Revisions read at once; enough to hide file latency, small enough to bound memory. */
const CONCURRENCY = 16;

/** Finds the `packages` folder of a Universe tree rooted at `root`, or null. */
export async function findPackagesDir(tree: FileTree, root = ""): Promise<string | null> {
  for (const candidate of [joinPath(root, "packages"), joinPath(root, "repo", "packages")]) {
    const parent = candidate.split("/").slice(0, -1).join("/");
    const entries = await tree.list(parent);
    if (entries.some((e) => e.name === "packages" && e.kind === "dir")) return candidate;
  }
  return null;
}

/**
 * Imports every revision of the tree.
 * @example const { packages, failures } = await importUniverseTree(nodeTree("./universe"));
 */
export async function importUniverseTree(tree: FileTree, root = ""): Promise<ImportResult> {
  const packagesDir = await findPackagesDir(tree, root);
  if (!packagesDir) {
    throw new UniverseError(
      "INVALID_ARGUMENT",
      `no Universe repository at ${root || "."}: expected a packages/ or repo/packages/ folder`,
    );
  }
  const result: ImportResult = { packages: [], failures: [], warnings: [] };
  const jobs: { path: string; name: string; releaseVersion: number }[] = [];

  for (const letter of await tree.list(packagesDir)) {
    const letterDir = joinPath(packagesDir, letter.name);
    if (letter.kind !== "dir") {
      result.warnings.push(`${letterDir}: not a folder; ignored`);
      continue;
    }
    for (const pkg of await tree.list(letterDir)) {
      const pkgDir = joinPath(letterDir, pkg.name);
      if (pkg.kind !== "dir") {
        result.warnings.push(`${pkgDir}: not a folder; ignored`);
        continue;
      }
      if (pkg.name[0]?.toUpperCase() !== letter.name) {
        result.failures.push({
          path: pkgDir,
          reason: `package folder must sit under ${pkg.name[0]?.toUpperCase()}/`,
        });
        continue;
      }
      for (const rev of await tree.list(pkgDir)) {
        const path = joinPath(pkgDir, rev.name);
        if (rev.kind !== "dir") {
          result.warnings.push(`${path}: not a folder; ignored`);
        } else if (!/^(0|[1-9]\d{0,8})$/.test(rev.name)) {
          result.failures.push({
            path,
            reason: `revision folder name must be a whole number, got "${rev.name}"`,
          });
        } else {
          jobs.push({ path, name: pkg.name, releaseVersion: Number(rev.name) });
        }
      }
    }
  }

  const outcomes = await mapLimited(jobs, CONCURRENCY, async (job) => {
    try {
      const files = await readRevision(tree, job.path);
      const def = parseRevisionFiles(files, { releaseVersion: job.releaseVersion, path: job.path });
      if (def.metadata.name !== job.name) {
        throw new UniverseError(
          "INVALID_PACKAGE",
          `${job.path}/package.json: name "${def.metadata.name}" does not match its folder "${job.name}"`,
        );
      }
      return { ok: true as const, def };
    } catch (e) {
      return { ok: false as const, failure: { path: job.path, reason: reasonOf(e) } };
    }
  });
  for (const o of outcomes) {
    if (o.ok) {
      result.packages.push(o.def);
      result.warnings.push(...o.def.warnings);
    } else {
      result.failures.push(o.failure);
    }
  }
  return result;
}

async function readRevision(tree: FileTree, dir: string): Promise<RevisionFiles> {
  const entries = (await tree.list(dir)).filter((e) => e.kind === "file");
  const files = await Promise.all(
    entries.map(async (e) => [e.name, await tree.read(joinPath(dir, e.name))] as const),
  );
  return new Map(files);
}

/** Like Promise.all over `items.map(fn)`, with at most `limit` calls in flight; keeps order. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

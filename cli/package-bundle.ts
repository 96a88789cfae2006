/**
 * Builds a Flotilla bundle from a package folder (package.json, config.json, templates,
 * README.md at its root): the files are parsed as the gateway will parse them and rendered
 * with their default options first, so a broken package is refused here, not after upload.
 */
import { readFile, stat } from "node:fs/promises";
import { packBundle } from "../universe/bundle/index.js";
import { reasonOf } from "../universe/import/result.js";
import { parseRevisionFiles } from "../universe/import/revision.js";
import { lintImport } from "../universe/lint/index.js";
import { CliError, usageError } from "./errors.js";
import { nodeFileTree } from "./node-tree.js";

export interface PackageBundle {
  name: string;
  version: string;
  archive: Uint8Array;
  digest: string;
  files: string[];
  warnings: string[];
}

export async function packPackageDir(dir: string): Promise<PackageBundle> {
  const info = await stat(dir).catch(() => {
    throw usageError(`${dir}: no such file or directory`);
  });
  if (!info.isDirectory())
    throw usageError(`${dir}: not a folder; a package folder holds package.json and its templates`);
  const tree = nodeFileTree(dir);
  const entries = await tree.list("");
  const names = entries.filter((e) => e.kind === "file" && !e.name.startsWith(".")).map((e) => e.name);
  if (!names.includes("package.json")) throw usageError(`${dir}: no package.json; is this a package folder?`);
  const files = new Map(await Promise.all(names.map(async (n) => [n, await tree.read(n)] as const)));

  let definition: ReturnType<typeof parseRevisionFiles>;
  try {
    definition = parseRevisionFiles(files, { releaseVersion: 0, path: dir });
  } catch (e) {
    throw new CliError(`${dir} is not a valid package: ${reasonOf(e)}`);
  }
  const report = lintImport("dir", { packages: [definition], failures: [], warnings: definition.warnings });
  if (report.failed.length > 0) {
    throw new CliError(
      `${dir} does not render with its default options:\n${report.failed.map((f) => `  ${f.reason}`).join("\n")}`,
    );
  }
  const skipped = entries
    .filter((e) => e.kind === "dir")
    .map((e) => `${e.name}/ is not part of a bundle (only files at the root are)`);
  const { archive, digest } = await packBundle(Object.fromEntries(files));
  return {
    name: definition.metadata.name,
    version: definition.metadata.version,
    archive,
    digest,
    files: names,
    warnings: [...report.warnings, ...skipped],
  };
}

/** The bytes of a bundle to publish: a package folder packed now, or a .tgz as it is. */
export async function bundleBytes(path: string): Promise<{ archive: Uint8Array; packed?: PackageBundle }> {
  const info = await stat(path).catch(() => {
    throw usageError(`${path}: no such file or directory`);
  });
  if (info.isDirectory()) {
    const packed = await packPackageDir(path);
    return { archive: packed.archive, packed };
  }
  const archive = new Uint8Array(await readFile(path));
  if (archive[0] !== 0x1f || archive[1] !== 0x8b) {
    throw usageError(`${path}: not a .tgz bundle; give a bundle or a package folder`);
  }
  return { archive };
}

/**
 * The Node implementation of the universe library's FileTree: reads a directory on disk.
 * Symbolic links are not followed, so a tree cannot make the linter read outside itself.
 */
import { lstat, readdir, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { DirEntry, FileTree } from "../universe/import/files.js";

export function nodeFileTree(root: string): FileTree {
  const base = resolve(root);
  return {
    async list(dir) {
      try {
        const entries = await readdir(join(base, dir), { withFileTypes: true });
        const out: DirEntry[] = [];
        for (const e of entries) {
          if (e.isDirectory()) out.push({ name: e.name, kind: "dir" });
          else if (e.isFile()) out.push({ name: e.name, kind: "file" });
        }
        return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
        throw e;
      }
    },
    async read(path) {
      const full = join(base, path);
      if (!(await lstat(full)).isFile()) throw new Error(`${path} is not a regular file`);
      return new Uint8Array(await readFile(full));
    },
  };
}

/**
 * The thin file adapter through which the portable library reads package trees. Node (fs),
 * an unpacked archive, or a test supplies an implementation; the library never touches a
 * file system itself, so it runs unchanged on Workers.
 */
export interface DirEntry {
  name: string;
  kind: "file" | "dir";
}

export interface FileTree {
  /** Entries of a directory (relative path, "" for the root); [] when it does not exist. */
  list(dir: string): Promise<DirEntry[]>;
  /** A file's bytes; rejects when it does not exist or cannot be read. */
  read(path: string): Promise<Uint8Array>;
}

/** A FileTree over an in-memory map of relative paths (as `unpackBundle` returns). */
export function memoryTree(files: ReadonlyMap<string, Uint8Array>): FileTree {
  return {
    async list(dir) {
      const prefix = dir === "" ? "" : `${dir.replace(/\/+$/, "")}/`;
      const seen = new Map<string, DirEntry["kind"]>();
      for (const path of files.keys()) {
        if (!path.startsWith(prefix)) continue;
        const rest = path.slice(prefix.length);
        const slash = rest.indexOf("/");
        if (slash === -1) seen.set(rest, "file");
        else seen.set(rest.slice(0, slash), "dir");
      }
      return [...seen].map(([name, kind]) => ({ name, kind }));
    },
    async read(path) {
      const bytes = files.get(path);
      if (!bytes) throw new Error(`no such file: ${path}`);
      return bytes;
    },
  };
}

export const joinPath = (...parts: string[]): string => parts.filter((p) => p !== "").join("/");

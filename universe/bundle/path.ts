/**
 * The rules every file name in a bundle follows, shared by pack (which refuses bad names from
 * its caller) and unpack (which refuses them from a hostile archive): relative, forward
 * slashes only, no `..`, nothing that could land outside the folder it is unpacked into.
 */

/** A name turned into its canonical relative path, or the reason it cannot be one. */
export type EntryPath = { ok: true; path: string } | { ok: false; problem: string };

const bad = (problem: string): EntryPath => ({ ok: false, problem });

/**
 * Checks a tar entry name and returns its canonical path: `.` segments (such as a leading
 * `./`) dropped. A directory may end in `/` and may name the root (`./` gives `""`).
 * @example parseEntryPath("./hello/package.json") // { ok: true, path: "hello/package.json" }
 * @example parseEntryPath("../evil") // { ok: false, problem: "the path contains a '..' segment" }
 */
export function parseEntryPath(name: string, kind: "file" | "directory" = "file"): EntryPath {
  if (name.length === 0) return bad("the name is empty");
  if (name.includes("\0")) return bad("the name contains a NUL character");
  if (name.includes("\\")) return bad("the name contains a backslash (use '/' between folders)");
  if (name.startsWith("/")) return bad("the path is absolute");
  if (/^[A-Za-z]:/.test(name)) return bad("the path starts with a drive letter");
  const body = kind === "directory" && name.endsWith("/") ? name.slice(0, -1) : name;
  const kept: string[] = [];
  for (const segment of body.split("/")) {
    if (segment === "..") return bad("the path contains a '..' segment");
    if (segment === "") return bad("the path contains an empty segment ('//' or a trailing '/')");
    if (segment !== ".") kept.push(segment);
  }
  if (kept.length === 0 && kind === "file") return bad("the path names a folder, not a file");
  return { ok: true, path: kept.join("/") };
}

/**
 * Finds a file that sits "inside" another file (`a` and `a/b`), which no folder can hold.
 * Returns `[inner, outer]` for the first such pair, or undefined.
 */
export function findFileUnderFile(paths: Iterable<string>): [string, string] | undefined {
  const all = new Set(paths);
  for (const path of all) {
    for (let slash = path.indexOf("/"); slash !== -1; slash = path.indexOf("/", slash + 1)) {
      const outer = path.slice(0, slash);
      if (all.has(outer)) return [path, outer];
    }
  }
  return undefined;
}

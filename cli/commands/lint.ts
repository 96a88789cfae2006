/**
 * `flotilla lint <path>`: checks what a package author or operator has in hand — a Universe
 * repository tree, a built Universe JSON index, a Flotilla bundle (.tgz), a package folder,
 * a Marathon app (or group) JSON file or a Metronome job JSON file — and renders every
 * revision with its default options. Exit 0 when nothing failed, 1 when something did.
 */
import { open, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { defineCommand } from "citty";
import {
  findPackagesDir,
  importUniverseIndex,
  importUniverseTree,
  readBundle,
} from "../../universe/import/index.js";
import type { ImportResult } from "../../universe/import/result.js";
import { reasonOf } from "../../universe/import/result.js";
import { parseRevisionFiles } from "../../universe/import/revision.js";
import { type LintReport, lintImport } from "../../universe/lint/index.js";
import { checkJobDependencies, parseApp, parseJob } from "../../universe/models/index.js";
import { usageError } from "../errors.js";
import { nodeFileTree } from "../node-tree.js";
import type { Output } from "../output.js";

export const LINT_KINDS = ["tree", "index", "bundle", "dir", "app", "job"] as const;
export type LintKind = (typeof LINT_KINDS)[number];

const KIND_LABEL: Record<LintKind, string> = {
  tree: "Universe repository",
  index: "Universe index",
  bundle: "Flotilla bundle",
  dir: "package folder",
  app: "Marathon app",
  job: "Metronome job",
};

/** Decides what `path` holds from its type and first bytes. */
export async function detectKind(path: string): Promise<LintKind> {
  const info = await stat(path).catch(() => {
    throw usageError(`${path}: no such file or directory`);
  });
  if (info.isDirectory()) {
    if (await findPackagesDir(nodeFileTree(path))) return "tree";
    if (await stat(join(path, "package.json")).catch(() => null)) return "dir";
    throw usageError(
      `${path}: neither a Universe repository (packages/) nor a package folder (package.json)`,
    );
  }
  const head = new Uint8Array(2);
  const fh = await open(path, "r");
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return "bundle";
  const json = await readJson(path);
  if (typeof json === "object" && json !== null && !Array.isArray(json)) {
    if (Array.isArray((json as Record<string, unknown>).packages)) return "index";
    if ("run" in json) return "job";
    if ("id" in json || "apps" in json || "groups" in json) return "app";
  }
  throw usageError(`${path}: cannot tell what this is; name it with --kind (${LINT_KINDS.join(", ")})`);
}

async function readJson(path: string): Promise<unknown> {
  const body = await readFile(path, "utf8");
  try {
    return JSON.parse(body);
  } catch (e) {
    throw usageError(`${path}: not JSON and not a gzip archive (${(e as Error).message})`);
  }
}

const emptyReport = (kind: LintKind): LintReport => ({
  kind,
  packages: 0,
  revisions: 0,
  rendered: 0,
  failed: [],
  warnings: [],
});

/** Flattens a Marathon group (`{id, apps, groups}`) into apps with absolute ids. */
function groupApps(group: Record<string, unknown>, parent = ""): unknown[] {
  const id = typeof group.id === "string" ? group.id : "";
  const base = id.startsWith("/") ? id : `${parent}/${id}`.replace(/\/+/g, "/");
  const apps = Array.isArray(group.apps) ? group.apps : [];
  const out = apps.map((a) => {
    if (typeof a !== "object" || a === null || typeof (a as { id?: unknown }).id !== "string") return a;
    const appId = (a as { id: string }).id;
    return { ...a, id: appId.startsWith("/") ? appId : `${base}/${appId}`.replace(/\/+/g, "/") };
  });
  for (const g of Array.isArray(group.groups) ? group.groups : []) {
    if (typeof g === "object" && g !== null) out.push(...groupApps(g as Record<string, unknown>, base));
  }
  return out;
}

/** Runs the lint of `path` as `kind` and returns the report. */
export async function lintPath(path: string, kind: LintKind): Promise<LintReport> {
  const tryImport = async (fn: () => Promise<ImportResult> | ImportResult): Promise<LintReport> => {
    try {
      return lintImport(kind, await fn());
    } catch (e) {
      return { ...emptyReport(kind), failed: [{ path, reason: reasonOf(e) }] };
    }
  };
  switch (kind) {
    case "tree":
      return tryImport(() => importUniverseTree(nodeFileTree(path)));
    case "index":
      return tryImport(async () => importUniverseIndex(await readJson(path)));
    case "bundle":
      return tryImport(async () => {
        const { definition } = await readBundle(new Uint8Array(await readFile(path)), { path });
        return { packages: [definition], failures: [], warnings: definition.warnings };
      });
    case "dir":
      return tryImport(async () => {
        const tree = nodeFileTree(path);
        const names = (await tree.list("")).filter((e) => e.kind === "file").map((e) => e.name);
        const files = new Map(await Promise.all(names.map(async (n) => [n, await tree.read(n)] as const)));
        const definition = parseRevisionFiles(files, { releaseVersion: 0, path });
        return { packages: [definition], failures: [], warnings: definition.warnings };
      });
    case "app": {
      const report = emptyReport(kind);
      const json = await readJson(path);
      const isGroup = typeof json === "object" && json !== null && ("apps" in json || "groups" in json);
      const apps = isGroup ? groupApps(json as Record<string, unknown>) : [json];
      apps.forEach((app, i) => {
        try {
          report.warnings.push(...parseApp(app, isGroup ? `${path} apps[${i}]` : path).warnings);
          report.rendered++;
        } catch (e) {
          report.failed.push({ path: isGroup ? `${path} apps[${i}]` : path, reason: reasonOf(e) });
        }
      });
      return report;
    }
    case "job": {
      const report = emptyReport(kind);
      const json = await readJson(path);
      const list = Array.isArray(json) ? json : [json];
      try {
        const jobs = list.map((j, i) => {
          const parsed = parseJob(j, Array.isArray(json) ? `${path}[${i}]` : path);
          report.warnings.push(...parsed.warnings);
          return parsed.value;
        });
        checkJobDependencies(jobs, new Set(jobs.flatMap((j) => j.dependencies)));
        report.rendered = jobs.length;
      } catch (e) {
        report.failed.push({ path, reason: reasonOf(e) });
      }
      return report;
    }
  }
}

export function printLintReport(out: Output, path: string, report: LintReport, verbose: boolean): void {
  const kind = KIND_LABEL[report.kind as LintKind] ?? report.kind;
  const counts =
    report.kind === "app" || report.kind === "job"
      ? `${report.rendered} valid`
      : `${report.packages} packages, ${report.revisions} revisions, ${report.rendered} rendered`;
  out.line(`${kind} ${path}: ${counts}, ${report.failed.length} failed`);
  for (const f of report.failed) out.line(`  FAILED ${f.path}: ${f.reason}`);
  if (report.warnings.length > 0) {
    if (verbose) for (const w of report.warnings) out.line(`  warning: ${w}`);
    else out.line(`  ${report.warnings.length} warnings (--verbose to list them)`);
  }
}

export default defineCommand({
  meta: {
    name: "lint",
    description:
      "Check a Universe repository, Universe index, bundle, package folder, Marathon app or Metronome job.\n\n" +
      "Examples:\n  flotilla lint ./universe            # a repository tree (packages/<L>/<name>/<rev>/)\n" +
      "  flotilla lint repo-v4.json --json   # a built index, machine-readable report\n" +
      "  flotilla lint app.json --kind app   # a Marathon app file",
  },
  args: {
    path: { type: "positional", description: "What to check", required: true },
    kind: {
      type: "enum",
      options: [...LINT_KINDS],
      description: "What the path holds (detected if omitted)",
    },
    json: { type: "boolean", description: "Print one JSON document instead of a summary" },
    verbose: { type: "boolean", description: "List every warning" },
  },
  async run({ args, data }) {
    const out = data as Output;
    const kind = (args.kind as LintKind | undefined) ?? (await detectKind(args.path));
    if (args.kind && !(await stat(args.path).catch(() => null)))
      throw usageError(`${args.path}: no such file or directory`);
    const report = await lintPath(args.path, kind);
    if (args.json) out.json(report);
    else printLintReport(out, args.path, report, args.verbose === true);
    return report.failed.length > 0 ? 1 : 0;
  },
});

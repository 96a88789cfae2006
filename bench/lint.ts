/**
 * `npm run bench:lint`: `flotilla lint` over a synthetic Universe repository the size of the
 * real one (185 packages, 1,235 revisions, ~33 MB on disk, DC/OS-SDK-sized config.json and
 * templates). The lint runs in a child process so its wall time and peak memory are its own.
 * Prints one JSON line: {"bench":"lint","revisions":…,"treeMb":…,"lintMs":…,"peakRssMb":…,"failed":…}
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runCli } from "../cli/run.js";

const PACKAGES = 185;
const REVISIONS = 1_235;
const PROPERTIES_PER_SECTION = 14;
const SECTIONS = ["service", "node", "broker", "executor", "security"] as const;

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(1235);
const int = (n: number) => Math.floor(random() * n);

/** A config.json like the DC/OS SDK's: sections of typed, described, defaulted properties. */
function config(): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const section of SECTIONS) {
    const props: Record<string, unknown> = {};
    for (let i = 0; i < PROPERTIES_PER_SECTION; i++) {
      const kind = i % 4;
      props[`p${i}`] =
        kind === 0
          ? {
              type: "string",
              description: "A setting that operators rarely change. ".repeat(4),
              default: `value-${i}`,
            }
          : kind === 1
            ? {
                type: "number",
                description: "CPU shares or memory for this part. ".repeat(4),
                default: 0.5 + i,
                minimum: 0,
              }
            : kind === 2
              ? {
                  type: "boolean",
                  description: "Whether to enable this feature. ".repeat(4),
                  default: i % 3 === 0,
                }
              : { type: "integer", description: "A count. ".repeat(8), default: i, enum: [i, i + 1, i + 2] };
    }
    properties[section] = { type: "object", description: `${section} settings`, properties: props };
  }
  return { type: "object", properties };
}

/** A Marathon template that uses every option, with sections and escapes, about 10 KB. */
function template(): string {
  const env: string[] = [];
  for (const section of SECTIONS) {
    for (let i = 0; i < PROPERTIES_PER_SECTION; i++) {
      env.push(`    "${section.toUpperCase()}_P${i}": "{{${section}.p${i}}}"`);
      if (i % 4 === 2)
        env.push(`    {{#${section}.p${i}}}"${section.toUpperCase()}_FLAG_${i}": "on",{{/${section}.p${i}}}`);
    }
  }
  const padding = Array.from({ length: 40 }, (_, i) => `    "LABEL_${i}": "{{service.p0}}-${i}"`).join(",\n");
  return `{
  "id": "{{service.p0}}",
  "cpus": {{service.p1}},
  "mem": 1024,
  "instances": 1,
  "cmd": "export LD_LIBRARY_PATH=$MESOS_SANDBOX/libmesos-bundle/lib && ./bootstrap && exec ./scheduler",
  "env": {
${env.filter((l) => !l.includes("{{#")).join(",\n")}
  },
  "labels": {
${padding}
  },
  "healthChecks": [{ "protocol": "HTTP", "path": "/v1/health", "portIndex": 0, "gracePeriodSeconds": 900 }],
  "portDefinitions": [{ "port": 0, "protocol": "tcp", "name": "api" }],
  "upgradeStrategy": { "minimumHealthCapacity": 0, "maximumOverCapacity": 0 }
}
`;
}

async function writeTree(root: string): Promise<number> {
  let bytes = 0;
  const put = async (path: string, text: string) => {
    bytes += text.length;
    await writeFile(path, text);
  };
  const cfg = JSON.stringify(config(), null, 2);
  const tpl = template();
  const lastFolder = new Map<number, number>();
  for (let r = 0; r < REVISIONS; r++) {
    const p = r % PACKAGES;
    const name = `pkg-${String.fromCharCode(97 + (p % 26))}${p}`;
    const rev = Math.floor(r / PACKAGES);
    // Sparse revision folders, as in the real Universe (0, 1, 3, 4, 7, …).
    const folder = rev === 0 ? 0 : (lastFolder.get(p) ?? 0) + 1 + int(3);
    lastFolder.set(p, folder);
    const dir = join(root, "packages", name[0]!.toUpperCase(), name, String(folder));
    await mkdir(dir, { recursive: true });
    await put(
      join(dir, "package.json"),
      JSON.stringify(
        {
          packagingVersion: "4.0",
          name,
          version: `${1 + rev}.${int(10)}.0-0.${int(60)}.${int(9)}`,
          maintainer: "support@example.com",
          description: "A synthetic stateful service of DC/OS SDK size. ".repeat(6),
          tags: ["bench", name],
          upgradesFrom: ["*"],
          downgradesTo: ["*"],
          preInstallNotes: "Default configuration requires 3 agent nodes. ".repeat(3),
        },
        null,
        2,
      ),
    );
    await put(join(dir, "config.json"), cfg);
    await put(join(dir, "marathon.json.mustache"), tpl);
    await put(
      join(dir, "resource.json"),
      JSON.stringify(
        { assets: { uris: { bootstrap: "https://downloads.example.com/bootstrap.zip" } } },
        null,
        2,
      ),
    );
  }
  return bytes;
}

async function child(dir: string): Promise<void> {
  let out = "";
  const started = performance.now();
  const code = await runCli(["lint", dir, "--json"], {
    line: (t) => {
      out += t;
    },
    error: (t) => process.stderr.write(`${t}\n`),
    json: (v) => {
      out += JSON.stringify(v);
    },
  });
  const lintMs = performance.now() - started;
  const report = JSON.parse(out) as { revisions: number; rendered: number; failed: unknown[] };
  process.stdout.write(
    JSON.stringify({
      code,
      lintMs,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      revisions: report.revisions,
      rendered: report.rendered,
      failed: report.failed.length,
    }),
  );
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3]!);
  const root = await mkdtemp(join(tmpdir(), "flotilla-bench-lint-"));
  try {
    const bytes = await writeTree(root);
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        ...(process.env.BENCH_CHILD_FLAGS?.split(" ").filter(Boolean) ?? []),
        fileURLToPath(import.meta.url),
        "--child",
        root,
      ],
      {
        encoding: "utf8",
      },
    );
    const wallMs = performance.now() - started;
    if (run.status === null || !run.stdout) throw new Error(`lint child failed: ${run.stderr}`);
    const r = JSON.parse(run.stdout) as {
      lintMs: number;
      peakRssMb: number;
      revisions: number;
      rendered: number;
      failed: number;
    };
    const round = (x: number) => Math.round(x * 10) / 10;
    console.log(
      JSON.stringify({
        bench: "lint",
        revisions: r.revisions,
        rendered: r.rendered,
        failed: r.failed,
        treeMb: round(bytes / 1e6),
        lintMs: Math.round(r.lintMs),
        processMs: Math.round(wallMs),
        peakRssMb: round(r.peakRssMb),
      }),
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

await main();

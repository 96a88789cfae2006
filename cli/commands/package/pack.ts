/** `flotilla package pack <dir>`: a package folder → a checked, deterministic bundle (.tgz). */
import { writeFile } from "node:fs/promises";
import { defineCommand } from "citty";
import { jsonArg } from "../../args.js";
import { contextOf } from "../../context.js";
import { usageError } from "../../errors.js";
import { packPackageDir } from "../../package-bundle.js";

export default defineCommand({
  meta: {
    name: "pack",
    description:
      "Build a bundle from a package folder (package.json, config.json, templates, README.md at its root).\n" +
      "The package is checked and rendered with its default options first. The same files always give\n" +
      "the same bundle, and so the same digest.\n\n" +
      "Examples:\n  flotilla package pack ./my-service                 # writes my-service-1.0.0.tgz\n" +
      "  flotilla package pack ./my-service -o dist/my-service.tgz",
  },
  args: {
    dir: { type: "positional", description: "The package folder", required: true },
    output: {
      type: "string",
      alias: "o",
      valueHint: "file.tgz",
      description: "Where to write it (default <name>-<version>.tgz)",
    },
    ...jsonArg,
  },
  async run({ args, data }) {
    const out = contextOf(data);
    if (args.output === "") throw usageError("-o needs a file name");
    const bundle = await packPackageDir(args.dir);
    const file = args.output ?? `${bundle.name}-${bundle.version.replace(/[/\\]/g, "_")}.tgz`;
    await writeFile(file, bundle.archive);
    if (args.json) {
      out.json({
        name: bundle.name,
        version: bundle.version,
        digest: bundle.digest,
        file,
        bytes: bundle.archive.byteLength,
        files: bundle.files,
        warnings: bundle.warnings,
      });
    } else {
      out.line(
        `Packed ${bundle.name} ${bundle.version} into ${file} (${bundle.archive.byteLength} bytes, ${bundle.files.length} files).`,
      );
      out.line(`Digest: ${bundle.digest}`);
      for (const w of bundle.warnings) out.line(`  warning: ${w}`);
    }
    return 0;
  },
});

/** `flotilla package describe <name>`: one version of a package, its options and notes. */
import { defineCommand } from "citty";
import { PackageDescriptionSchema } from "../../../gateway/contract/catalog.js";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { optionRows } from "../../format/config-options.js";
import { clip, renderFields, renderTable } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "describe",
    description:
      "Describe a package version: metadata, dependencies, upgrade paths and the options --set accepts.\n\n" +
      "Examples:\n  flotilla package describe hello-http\n  flotilla package describe hello-http --version '^1.0'\n" +
      "  flotilla package describe hello-http --json | jq .config",
  },
  args: {
    name: { type: "positional", description: "Package name", required: true },
    version: {
      type: "string",
      valueHint: "version|range",
      description: "Exact version, semver range or latest",
    },
    prerelease: { type: "boolean", description: "Let a range select pre-release versions" },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const { data: d, raw } = await s.api.request(
      PackageDescriptionSchema,
      "GET",
      apiPath`/v1/packages/${args.name}`,
      {
        query: { version: args.version, includePrerelease: args.prerelease ? "true" : undefined },
      },
    );
    if (s.json) {
      s.out.json(raw);
      return 0;
    }
    const meta = d.metadata;
    const text = (v: unknown) => (typeof v === "string" ? v : undefined);
    const deps = Object.entries(d.dependencies).map(([n, r]) => `${n} ${r}`);
    for (const line of renderFields([
      ["Name", d.name],
      ["Version", `${d.version} (release ${d.releaseVersion})`],
      ["Format", `${d.format} (packaging ${d.packagingVersion})`],
      ["Repository", d.repository.name],
      ["Digest", d.digest ?? undefined],
      ["Description", text(meta.description)],
      ["Maintainer", text(meta.maintainer)],
      ["Tags", Array.isArray(meta.tags) ? meta.tags.join(", ") : undefined],
      ["Templates", d.templates.join(", ")],
      ["Dependencies", deps.length ? deps.join(", ") : "none"],
      ["Upgrades to", d.upgradesTo.length ? clip(d.upgradesTo.join(", "), 100) : "none"],
      ["Downgrades to", d.downgradesTo.length ? clip(d.downgradesTo.join(", "), 100) : "none"],
    ]))
      s.out.line(line);
    const rows = optionRows(d.config);
    if (rows.length > 0) {
      s.out.line("");
      s.out.line("Options (--set path=value):");
      for (const line of renderTable(
        rows,
        [
          { header: "PATH", value: (r) => r.path },
          { header: "TYPE", value: (r) => r.type },
          { header: "DEFAULT", value: (r) => clip(r.default, 40) },
          { header: "DESCRIPTION", value: (r) => clip(r.description, 60) },
        ],
        s.out.color,
      ))
        s.out.line(`  ${line}`);
    }
    if (d.notes.preInstall) {
      s.out.line("");
      s.out.line(`Before installing: ${d.notes.preInstall}`);
    }
    return 0;
  },
});

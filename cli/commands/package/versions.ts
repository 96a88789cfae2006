/** `flotilla package versions <name>`: every version, newest first, where each comes from. */
import { defineCommand } from "citty";
import { PackageVersionsSchema } from "../../../gateway/contract/catalog.js";
import { apiPath } from "../../api/client.js";
import { gatewayArgs } from "../../args.js";
import { renderTable } from "../../format/table.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "versions",
    description:
      "List a package's versions, newest first; * marks what an install without --version gets.\n\n" +
      "Examples:\n  flotilla package versions hello-http\n  flotilla package versions hello-http --json | jq -r '.versions[].version'",
  },
  args: {
    name: { type: "positional", description: "Package name", required: true },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const s = await openSession(data, args);
    const { data: v, raw } = await s.api.request(
      PackageVersionsSchema,
      "GET",
      apiPath`/v1/packages/${args.name}/versions`,
    );
    // Two releases may share a version string: mark the newest, which is what `latest` selects.
    const latest = v.versions.find((r) => r.version === v.latest);
    if (s.json) s.out.json(raw);
    else
      for (const line of renderTable(
        v.versions,
        [
          { header: "LATEST", value: (r) => (r === latest ? "*" : " ") },
          { header: "VERSION", value: (r) => r.version },
          { header: "RELEASE", value: (r) => r.releaseVersion, align: "right" },
          { header: "REPOSITORY", value: (r) => r.repository.name },
          {
            header: "SEMVER",
            value: (r) =>
              r.semver.value === null
                ? "none"
                : `${r.semver.value}${r.semver.loose ? " (loose)" : ""}${r.semver.prerelease ? " (pre)" : ""}`,
          },
          { header: "DIGEST", value: (r) => (r.digest ? `${r.digest.slice(0, 19)}…` : "") },
        ],
        s.out.color,
      ))
        s.out.line(line);
    return 0;
  },
});

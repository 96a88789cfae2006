/** `flotilla package install <name>`: installs a package (and its dependencies) on a cluster. */
import { defineCommand } from "citty";
import { InstallResultSchema } from "../../../gateway/contract/installs.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs, optionsArgs, repeated, waitArgs } from "../../args.js";
import { readOptions } from "../../options.js";
import { openSession } from "../../session.js";
import { parseTimeout } from "../../wait/follow.js";
import { finishChange } from "./change.js";

export default defineCommand({
  meta: {
    name: "install",
    description:
      "Install a package on a cluster with options (checked against the package's config.json).\n" +
      "Dependencies are installed first, or reused when an install already satisfies them.\n" +
      "--wait follows the deployment: instances healthy x/y, current step, why it waits.\n\n" +
      "Examples:\n  flotilla package install hello-http --cluster edge-1\n" +
      "  flotilla package install hello-http --set service.instances=3 --wait --timeout 120\n" +
      "  flotilla package install hello-http --version '^1.0' --options prod.json --app-id /team/hello",
  },
  args: {
    name: { type: "positional", description: "Package name", required: true },
    version: {
      type: "string",
      valueHint: "version|range",
      description: "Exact version or semver range (default latest)",
    },
    "app-id": {
      type: "string",
      valueHint: "/path",
      description: "Service id on the cluster (default from the package)",
    },
    ...optionsArgs,
    ...waitArgs,
    ...clusterArgs,
  },
  async run({ args, rawArgs, data }) {
    const waitMs = args.wait ? parseTimeout(args.timeout) : undefined;
    const options = await readOptions(args.options, repeated(rawArgs, "set"));
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: result, raw } = await s.api.request(
      InstallResultSchema,
      "POST",
      apiPath`/v1/clusters/${cluster}/installs`,
      {
        json: {
          package: args.name,
          ...(args.version && { version: args.version }),
          ...(options && { options }),
          ...(args["app-id"] && { appId: args["app-id"] }),
        },
      },
    );
    const deps = result.dependencies.map(
      (d) =>
        `  dependency ${d.package} ${d.version} as ${d.appId}: ${d.action === "reused" ? "already installed" : "installed"}`,
    );
    return finishChange(s, result, raw, { kind: "install", cluster, waitMs }, deps);
  },
});

/** `flotilla package update <appId>`: new options and/or version for an install (rolling). */
import { defineCommand } from "citty";
import { InstallChangeSchema } from "../../../gateway/contract/installs.js";
import { apiPath } from "../../api/client.js";
import { clusterArgs, optionsArgs, repeated, waitArgs } from "../../args.js";
import { usageError } from "../../errors.js";
import { readOptions } from "../../options.js";
import { openSession } from "../../session.js";
import { parseTimeout } from "../../wait/follow.js";
import { finishChange } from "./change.js";

export default defineCommand({
  meta: {
    name: "update",
    description:
      "Update an install's options and/or version; running tasks are replaced rolling.\n" +
      "Options are merged over the ones it has (--replace starts from the package defaults);\n" +
      "--version moves it to another version its package allows.\n\n" +
      "Examples:\n  flotilla package update /hello-http --set service.message=hi --wait\n" +
      "  flotilla package update /hello-http --version 1.1.0\n" +
      "  flotilla package update /hello-http --replace --options prod.json",
  },
  args: {
    appId: {
      type: "positional",
      description: "The install's service id (see flotilla package list)",
      required: true,
    },
    version: { type: "string", valueHint: "version|range", description: "Move to this version" },
    replace: { type: "boolean", description: "Replace the previous options instead of merging over them" },
    ...optionsArgs,
    ...waitArgs,
    ...clusterArgs,
  },
  async run({ args, rawArgs, data }) {
    const waitMs = args.wait ? parseTimeout(args.timeout) : undefined;
    const options = await readOptions(args.options, repeated(rawArgs, "set"));
    if (!args.version && !options && !args.replace) {
      throw usageError(
        "nothing to update: give --version, --set/--options, or --replace (to reset options to defaults)",
      );
    }
    const s = await openSession(data, args);
    const cluster = s.cluster();
    const { data: change, raw } = await s.api.request(
      InstallChangeSchema,
      "PATCH",
      apiPath`/v1/clusters/${cluster}/installs/${args.appId}`,
      {
        json: {
          ...(args.version && { version: args.version }),
          ...(options && { options }),
          ...(args.replace && { replace: true }),
        },
      },
    );
    return finishChange(s, change, raw, { kind: "update", cluster, waitMs });
  },
});

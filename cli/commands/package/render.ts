/** `flotilla package render <name>`: the install plan a package renders to, without installing. */
import { defineCommand } from "citty";
import { RenderResultSchema } from "../../../gateway/contract/catalog.js";
import { apiPath } from "../../api/client.js";
import { gatewayArgs, optionsArgs, repeated } from "../../args.js";
import { readOptions } from "../../options.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "render",
    description:
      "Render a package with options (a dry run): prints the Marathon apps and Metronome jobs an install would run.\n\n" +
      "Examples:\n  flotilla package render hello-http\n" +
      "  flotilla package render hello-http --set service.instances=3 --set service.message='hi there'\n" +
      "  flotilla package render hello-http --options prod.json --json | jq .options.resolved",
  },
  args: {
    name: { type: "positional", description: "Package name", required: true },
    version: {
      type: "string",
      valueHint: "version|range",
      description: "Exact version, semver range or latest",
    },
    "app-id": { type: "string", valueHint: "/path", description: "Render under this service id" },
    ...optionsArgs,
    ...gatewayArgs,
  },
  async run({ args, rawArgs, data }) {
    const options = await readOptions(args.options, repeated(rawArgs, "set"));
    const s = await openSession(data, args);
    const { data: r, raw } = await s.api.request(
      RenderResultSchema,
      "POST",
      apiPath`/v1/packages/${args.name}/render`,
      {
        json: {
          ...(args.version && { version: args.version }),
          ...(options && { options }),
          ...(args["app-id"] && { appId: args["app-id"] }),
        },
      },
    );
    if (s.json) s.out.json(raw);
    else {
      s.out.line(
        `# ${r.package.name} ${r.package.version} (release ${r.package.releaseVersion}, from ${r.package.repository.name})`,
      );
      s.out.line(JSON.stringify(r.plan, null, 2));
    }
    return 0;
  },
});

/** `flotilla package publish <dir|tgz>`: uploads a bundle to the catalog's `local` repository. */
import { defineCommand } from "citty";
import { GZIP_MEDIA_TYPE, PublishResultSchema } from "../../../gateway/contract/catalog.js";
import { gatewayArgs } from "../../args.js";
import { bundleBytes } from "../../package-bundle.js";
import { openSession } from "../../session.js";

export default defineCommand({
  meta: {
    name: "publish",
    description:
      "Publish a bundle (.tgz), or a package folder packed on the fly, to the catalog.\n" +
      "Publishing the same bundle again changes nothing; a different bundle under a published\n" +
      "name and version is refused.\n\n" +
      "Examples:\n  flotilla package publish ./my-service\n  flotilla package publish my-service-1.0.0.tgz --json",
  },
  args: {
    path: { type: "positional", description: "A bundle or a package folder", required: true },
    ...gatewayArgs,
  },
  async run({ args, data }) {
    const { archive, packed } = await bundleBytes(args.path);
    const s = await openSession(data, args);
    const { data: r, raw } = await s.api.request(PublishResultSchema, "POST", "/v1/packages", {
      body: archive,
      contentType: GZIP_MEDIA_TYPE,
    });
    if (s.json) s.out.json(raw);
    else {
      s.out.line(
        r.created
          ? `Published ${r.name} ${r.version} (release ${r.releaseVersion}) to repository ${r.repository.name}.`
          : `${r.name} ${r.version} was already published with this digest; nothing changed.`,
      );
      s.out.line(`Digest: ${r.digest}`);
      for (const w of packed?.warnings ?? []) s.out.line(`  warning: ${w}`);
    }
    return 0;
  },
});

/** `flotilla logout`: forgets the gateway, token and default cluster kept by `flotilla login`. */
import { defineCommand } from "citty";
import { jsonArg } from "../args.js";
import { configPath, removeConfig } from "../config/file.js";
import { contextOf } from "../context.js";

export default defineCommand({
  meta: {
    name: "logout",
    description:
      "Delete the config written by flotilla login (gateway, token, default cluster).\n\n" +
      "Examples:\n  flotilla logout\n  FLOTILLA_CONFIG=./ci-config.json flotilla logout",
  },
  args: { ...jsonArg },
  async run({ args, data }) {
    const out = contextOf(data);
    const path = configPath(out.host);
    const removed = await removeConfig(path);
    if (args.json) out.json({ config: path ?? null, removed });
    else out.line(removed ? `Logged out: removed ${path}.` : `Not logged in (no ${path ?? "config file"}).`);
    return 0;
  },
});

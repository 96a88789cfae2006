/** `flotilla cluster …`: the clusters the gateway manages, their join tokens and agents. */
import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "cluster",
    description:
      "Create, list and inspect clusters; make join tokens for their agents.\n\n" +
      "Examples:\n  flotilla cluster create edge-1 --label site=berlin\n  flotilla cluster token edge-1 --ttl 600\n" +
      "  flotilla cluster use edge-1        # the default for --cluster\n  flotilla cluster agents",
  },
  subCommands: {
    create: () => import("./create.js").then((m) => m.default),
    list: () => import("./list.js").then((m) => m.default),
    show: () => import("./show.js").then((m) => m.default),
    use: () => import("./use.js").then((m) => m.default),
    token: () => import("./token.js").then((m) => m.default),
    agents: () => import("./agents.js").then((m) => m.default),
    delete: () => import("./delete.js").then((m) => m.default),
  },
});

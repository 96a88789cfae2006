/** `flotilla token …`: API tokens for operators and scripts. */
import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "token",
    description:
      "Create, list and revoke API tokens (admin).\n\n" +
      "Examples:\n  flotilla token create ci --role operator --clusters edge-1,edge-2\n  flotilla token list\n" +
      "  flotilla token revoke tok_…",
  },
  subCommands: {
    create: () => import("./create.js").then((m) => m.default),
    list: () => import("./list.js").then((m) => m.default),
    revoke: () => import("./revoke.js").then((m) => m.default),
  },
});

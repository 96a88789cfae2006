/** `flotilla repo …`: the package repositories of the catalog, in priority order. */
import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "repo",
    description:
      "Manage the catalog's package repositories (Universe trees and indexes; published bundles live in `local`).\n\n" +
      "Examples:\n  flotilla repo add universe ./universe            # a Universe tree folder, packed and uploaded\n" +
      "  flotilla repo add mirror repo-v4.json            # a built JSON index\n" +
      "  flotilla repo add upstream --url https://universe.example.com/repo   # fetched by the gateway\n" +
      "  flotilla repo list",
  },
  subCommands: {
    list: () => import("./list.js").then((m) => m.default),
    add: () => import("./add.js").then((m) => m.default),
    remove: () => import("./remove.js").then((m) => m.default),
    import: () => import("./import.js").then((m) => m.default),
  },
});

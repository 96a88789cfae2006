/** `flotilla package …`: the catalog's packages and their installs on a cluster. */
import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "package",
    description:
      "Find packages, install them on a cluster, update, roll back and uninstall them; build and publish bundles.\n\n" +
      "Examples:\n  flotilla package search http\n  flotilla package describe hello-http\n" +
      "  flotilla package install hello-http --set service.instances=2 --wait\n" +
      "  flotilla package update /hello-http --set service.message=hi --wait\n" +
      "  flotilla package rollback /hello-http\n  flotilla package publish ./my-service",
  },
  subCommands: {
    search: () => import("./search.js").then((m) => m.default),
    describe: () => import("./describe.js").then((m) => m.default),
    versions: () => import("./versions.js").then((m) => m.default),
    render: () => import("./render.js").then((m) => m.default),
    install: () => import("./install.js").then((m) => m.default),
    update: () => import("./update.js").then((m) => m.default),
    rollback: () => import("./rollback.js").then((m) => m.default),
    uninstall: () => import("./uninstall.js").then((m) => m.default),
    list: () => import("./list.js").then((m) => m.default),
    history: () => import("./history.js").then((m) => m.default),
    publish: () => import("./publish.js").then((m) => m.default),
    pack: () => import("./pack.js").then((m) => m.default),
  },
});

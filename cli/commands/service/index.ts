/** `flotilla service …`: the long-running apps installs run on a cluster. */
import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "service",
    description:
      "See, scale and restart the services (Marathon-style apps) installs run on a cluster.\n\n" +
      "Examples:\n  flotilla service list\n  flotilla service show /hello-http\n  flotilla service tasks /hello-http\n" +
      "  flotilla service scale /hello-http 3\n  flotilla service restart /hello-http",
  },
  subCommands: {
    list: () => import("./list.js").then((m) => m.default),
    show: () => import("./show.js").then((m) => m.default),
    tasks: () => import("./tasks.js").then((m) => m.default),
    scale: () => import("./scale.js").then((m) => m.default),
    restart: () => import("./restart.js").then((m) => m.default),
  },
});

/** `flotilla job …`: the Metronome-style jobs installs define on a cluster, and their runs. */
import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "job",
    description:
      "List jobs, start a run now, and follow their runs.\n\n" +
      "Examples:\n  flotilla job list\n  flotilla job run etl.extract\n  flotilla job runs etl.extract\n  flotilla job show etl.load",
  },
  subCommands: {
    list: () => import("./list.js").then((m) => m.default),
    show: () => import("./show.js").then((m) => m.default),
    run: () => import("./run.js").then((m) => m.default),
    runs: () => import("./runs.js").then((m) => m.default),
  },
});

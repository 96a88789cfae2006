/** `flotilla secret …`: the cluster secret store (values go in, never come out). */
import { defineCommand } from "citty";

export default defineCommand({
  meta: {
    name: "secret",
    description:
      'Set, list and delete secrets of a cluster; apps use them as env values {"secret": "name"}.\n\n' +
      "Examples:\n  flotilla secret set edge-1 tls/key --from-file ./server.key\n" +
      "  printf %s 's3cret' | flotilla secret set edge-1 db/password\n  flotilla secret list edge-1\n" +
      "  flotilla secret delete edge-1 db/password\n\n" +
      'An app refers to a secret by a name it declares: "env": {"DB_PASSWORD": {"secret": "db"}},\n' +
      '"secrets": {"db": {"source": "db/password"}}. Values are read by the cluster\'s agents when a\n' +
      "task launches; a changed value reaches a service when its tasks restart (flotilla service restart).",
  },
  subCommands: {
    set: () => import("./set.js").then((m) => m.default),
    list: () => import("./list.js").then((m) => m.default),
    delete: () => import("./delete.js").then((m) => m.default),
  },
});

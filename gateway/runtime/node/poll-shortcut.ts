/**
 * Node's request listener with the unchanged desired-state poll answered in front of Hono.
 * Agents poll far more often than anything changes; for the plain conditional poll whose
 * answer is already known in memory (services/agents/unchanged-poll.ts), building a Request,
 * routing and validating cost several times the answer itself. Everything else, and every
 * poll that is not certain to be a side-effect-free 304, goes to the app unchanged.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Principal } from "../../auth/principal.js";
import type { Deps } from "../../deps.js";
import type { TtlCache } from "../../lib/ttl-cache.js";
import { revisionTag } from "../../services/agents/desired-state.js";
import { unchangedPollRevision } from "../../services/agents/unchanged-poll.js";

const header = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function withPollShortcut(
  deps: Deps,
  principals: TtlCache<Principal>,
  app: RequestListener<typeof IncomingMessage, typeof ServerResponse>,
): RequestListener<typeof IncomingMessage, typeof ServerResponse> {
  return (req, res) => {
    const revision = unchangedPollRevision(
      deps,
      principals,
      {
        method: req.method ?? "",
        url: req.url ?? "",
        authorization: header(req.headers.authorization),
        ifNoneMatch: header(req.headers["if-none-match"]),
        hasBody:
          req.headers["content-length"] !== undefined || req.headers["transfer-encoding"] !== undefined,
      },
      deps.clock.now(),
    );
    if (revision === undefined) {
      app(req, res);
      return;
    }
    // The same answer the route gives (see routes/agent/desired-state.ts).
    res.writeHead(304, {
      etag: revisionTag(revision),
      "cache-control": "no-cache",
      "x-request-id": `req_${crypto.randomUUID()}`,
    });
    res.end();
  };
}

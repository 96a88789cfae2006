/**
 * `GET /openapi.json` (generated from the route schemas) and `GET /docs`, a page that lists
 * every operation with the role it needs and its request and response schemas. The page is
 * rendered here from the same document, with no script or asset from elsewhere, so it works on
 * an air-gapped network and on Workers alike.
 */
import type { GatewayApp } from "../../env.js";

const OPENAPI = { openapi: "3.1.0", info: { title: "Flotilla gateway", version: "0.1.0" } } as const;

const escapeHtml = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: unknown }> }>;
}

function renderDocs(doc: { paths?: Record<string, Record<string, Operation>> }): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "other";
      const body = op.requestBody?.content
        ? Object.entries(op.requestBody.content)
            .map(
              ([type, c]) =>
                `<details><summary>request ${escapeHtml(type)}</summary><pre>${escapeHtml(JSON.stringify(c.schema, null, 2))}</pre></details>`,
            )
            .join("")
        : "";
      const responses = Object.entries(op.responses ?? {})
        .map(([status, r]) => `<li><code>${status}</code> ${escapeHtml(r.description ?? "")}</li>`)
        .join("");
      const html = `<section id="${escapeHtml(`${method}-${path}`)}"><h3><code>${method.toUpperCase()} ${escapeHtml(path)}</code> ${escapeHtml(op.summary ?? "")}</h3><p>${escapeHtml(op.description ?? "").replaceAll("\n", "<br>")}</p>${body}<ul>${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const sections = [...byTag].map(([tag, ops]) => `<h2>${escapeHtml(tag)}</h2>${ops.join("")}`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flotilla API</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}h3{font-size:1rem;margin-bottom:.2rem}section{border-top:1px solid #ddd;padding:.5rem 0}pre{background:#f6f6f6;padding:.5rem;overflow:auto}</style>
</head><body><h1>Flotilla gateway API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Errors are <code>application/problem+json</code> with a stable <code>code</code>. Authenticate with <code>Authorization: Bearer flt_…</code>.</p>${sections}</body></html>`;
}

export function registerDocs(app: GatewayApp): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer" });
  app.doc31("/openapi.json", OPENAPI);
  let page: string | undefined;
  app.get("/docs", (c) => {
    page ??= renderDocs(app.getOpenAPI31Document(OPENAPI) as Parameters<typeof renderDocs>[0]);
    return c.html(page);
  });
}

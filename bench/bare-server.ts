/**
 * The baseline of bench/gateway.ts: a bare Hono route (`GET /` → `ok`) served by
 * @hono/node-server, as the gateway is served, in a process of its own. Listens on 127.0.0.1
 * on a free port and prints one JSON line `{"url":"http://127.0.0.1:…"}`; stops on
 * SIGINT/SIGTERM.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono().get("/", (c) => c.text("ok"));
const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${info.port}` })}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);

/**
 * A TCP proxy on 127.0.0.1 in front of the gateway, for one agent: `cut()` drops every
 * connection through it and refuses new ones (that agent alone loses the gateway), `mend()`
 * lets them through again. The gateway itself knows nothing of it.
 */
import net from "node:net";

export interface LinkProxy {
  url: string;
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

/** A proxy to 127.0.0.1:`targetPort`, open. */
export async function startLinkProxy(targetPort: number): Promise<LinkProxy> {
  let open = true;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
    s.on("error", () => s.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (!open) return client.destroy();
    const upstream = net.connect(targetPort, "127.0.0.1");
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.once("close", () => upstream.destroy());
    upstream.once("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    mend() {
      open = true;
    },
    close() {
      open = false;
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
